import Foundation

/// Ids as words for people: `small-group` reads `small group`. Calendars, diagnosis and reports
/// share it, so one id never reads two ways.
public func idAsWords(_ id: String) -> String {
    id.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
}
