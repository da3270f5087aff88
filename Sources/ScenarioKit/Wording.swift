import Foundation

/// Ids as words for people: `small-group` reads `small group`. Calendars, diagnosis and reports
/// share it, so one id never reads two ways.
public func idAsWords(_ id: String) -> String {
    id.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
}

/// `math` + `small-group` reads `Math small group`: a flexible session as calendars and notices name it.
public func activityWords(subject: String, modality: String) -> String {
    let words = idAsWords(subject)
    return words.prefix(1).uppercased() + words.dropFirst() + " " + idAsWords(modality)
}
