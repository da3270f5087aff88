import Foundation

// Names drawn for generated schools. Mixed origins and a few accented spellings keep reports and
// YAML quoting honest; every accent here decomposes to ASCII so ids stay plain.

let subjectPool = ["math", "reading", "writing", "science", "history", "spanish", "art"]
/// Core subjects are asked for more often than electives, as in real learning plans.
let subjectWeights: [Double] = [3, 3, 2, 2, 1.5, 1, 1]

let firstNames = [
    "Ana", "Liam", "Sofia", "Mateo", "Aisha", "Noah", "Mei", "Jamal", "Priya", "Ethan", "Zoë", "José",
    "Chloé", "Inés", "Kwame", "Yuki", "Omar", "Fatima", "Lucas", "Amara", "Diego", "Hana", "Isaac", "Leila",
    "Malik", "Nadia", "Olivia", "Pedro", "Quinn", "Rosa", "Samir", "Tariq", "Uma", "Valentina", "Wei", "Ximena",
    "Yusuf", "Zara", "Björn", "Ayşe", "Renée", "Thao", "Arjun", "Camila", "Dmitri", "Elif", "Finn", "Grace",
    "Hugo", "Ingrid", "Jonah", "Kai", "Luna", "Maya", "Nico", "Owen", "Paloma", "Rafael", "Sakura", "Theo",
    "Vera", "Wren", "Aaliyah", "Benji", "Carmen", "Dev", "Emeka", "Freya", "Gabriel", "Hiro", "Ivy", "Jin",
    "Kenji", "Lena", "Marisol", "Nia", "Oscar", "Pilar", "Ravi", "Selin", "Tomás", "Violet", "Xavier", "Yara",
    "Zeynep", "Aditi", "Mía", "Joaquín", "Anaïs", "Chiara", "Declan", "Esperanza", "Farah", "Ibrahim",
]

let lastNames = [
    "Lee", "Garcia", "Patel", "Nguyen", "Okafor", "Kim", "Johnson", "Rossi", "Cohen", "Haddad", "Silva",
    "Tanaka", "Mensah", "O'Brien", "Novak", "Schmidt", "Delgado", "Chen", "Ibrahim", "Walker", "Singh",
    "Moreau", "Kowalski", "Alvarez", "Brooks", "Castillo", "Dubois", "Evans", "Fischer", "Gupta", "Hughes",
    "Ito", "Jensen", "Khan", "Lopez", "Murphy", "Nakamura", "Ortiz", "Park", "Quinn", "Reyes", "Sato",
    "Torres", "Usman", "Vargas", "Wright", "Xu", "Young", "Zhang", "Abebe", "Bauer", "Costa", "Diallo",
    "Eriksen", "Flores", "Grant", "Hoang", "Jovanović", "Kaur", "Larsen", "Mbeki", "Núñez", "Owusu",
    "Petrov", "Rahman", "Sánchez", "Tran", "Weber", "Yilmaz", "Achebe", "Bianchi", "Dang",
]

let titles = ["Ms.", "Mr.", "Ms.", "Mr.", "Mx.", "Dr."]

/// Named spaces a school has one of; the rest are numbered classrooms and small tutoring rooms.
let specialRooms: [(id: String, name: String, capacity: ClosedRange<Int>, features: [String])] = [
    ("library", "Library", 20...30, ["quiet", "accessible"]),
    ("maker-lab", "Maker Lab", 14...20, ["collaboration", "lab", "accessible"]),
    ("quiet-study", "Quiet Study", 8...12, ["quiet"]),
    ("science-lab", "Science Lab", 16...24, ["lab", "collaboration"]),
    ("commons", "Learning Commons", 24...30, ["collaboration", "accessible"]),
    ("reading-nook", "Reading Nook", 6...10, ["quiet", "accessible"]),
    ("art-studio", "Art Studio", 12...18, ["collaboration", "lab"]),
    ("media-center", "Media Center", 16...24, ["quiet", "collaboration", "accessible"]),
]

/// Lowercase ASCII letters and digits of `text`, accents folded: `Jovanović` -> `jovanovic`.
func asciiSlug(_ text: String) -> String {
    String(String.UnicodeScalarView(text.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars.filter {
        ("a"..."z").contains($0) || ("0"..."9").contains($0)
    }))
}
