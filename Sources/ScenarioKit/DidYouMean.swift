/// The known word that `word` most likely misspells, or nil when none is close enough to be a typo:
/// within two edits (a swap of neighbours counts as one) and a third of the word's length, so that
/// `r9` is not taken for `r1`. Case is ignored. Ties go to the earliest candidate.
public func closestMatch(to word: String, among candidates: some Sequence<String>) -> String? {
    let typed = Array(word.lowercased())
    let allowed = min(2, typed.count / 3)
    var best: (distance: Int, candidate: String)?
    for candidate in candidates where candidate != word {
        let distance = editDistance(typed, Array(candidate.lowercased()), limit: allowed)
        if distance <= allowed, distance < best?.distance ?? .max { best = (distance, candidate) }
    }
    return best?.candidate
}

/// " — did you mean `x`?" when a close match exists, else "", to end a message with.
func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
    closestMatch(to: word, among: candidates).map { " — did you mean `\($0)`?" } ?? ""
}

/// The weekday an admin meant by a full or misspelt name (`friday`, `Thurs`, `tus`).
func weekdayMeant(by text: String) -> Weekday? {
    let typed = text.lowercased()
    if let day = Weekday.allCases.first(where: { typed.count >= 3 && $0.longName.lowercased().hasPrefix(typed) }) { return day }
    return closestMatch(to: typed, among: Weekday.allCases.map(\.rawValue)).flatMap(Weekday.init(rawValue:))
}

/// Optimal string alignment distance; stops early once every path exceeds `limit`.
private func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        var rowBest = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
            current[j] = d
            rowBest = min(rowBest, d)
        }
        if rowBest > limit { return limit + 1 }
        (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
}
