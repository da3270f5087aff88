import Foundation

extension FETVerifier {
    /// FET places a locked activity against a constraint below 100 % only with that constraint's
    /// small chance of giving way, so on a locked file a broken 95 % preference can stop it as a
    /// clash would (a Brazilian school's three lessons of one class on the only day its teacher is
    /// in). Hard constraints are therefore verified on a copy with every constraint below 100 %
    /// switched off; the full locked file then only gives FET's count of soft conflicts.
    public static func verifyHardThenSoft(file: String, locks: [FETLock], fetCl: String, timeLimit: Int, deadline: Double) throws -> FETVerdict {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-hard-\(UUID().uuidString).fet").path
        try Data(hardOnly(text).utf8).write(to: URL(fileURLWithPath: copy))
        defer { try? FileManager.default.removeItem(atPath: copy) }
        var verdict = try verify(file: copy, locks: locks, fetCl: fetCl, timeLimit: timeLimit, deadline: deadline)
        guard verdict.accepted else { return verdict }
        let full = try verify(file: file, locks: locks, fetCl: fetCl, timeLimit: timeLimit, deadline: min(deadline, 30))
        verdict.softConflicts = full.accepted ? full.softConflicts : nil
        if !full.accepted {
            verdict.message += "; with its constraints below 100 % on, fet-cl could not place the locked file, so FET gives no count of soft conflicts"
        }
        verdict.seconds += full.seconds
        return verdict
    }

    /// `text` with every active time or space constraint below 100 % made inactive.
    static func hardOnly(_ text: String) -> String {
        var out = "", rest = Substring(text)
        while let open = rest.range(of: "<Constraint") {
            out += rest[..<open.lowerBound]
            guard let nameEnd = rest[open.upperBound...].firstIndex(where: { $0 == ">" || $0 == " " || $0 == "/" }) else { break }
            let name = "Constraint" + rest[open.upperBound..<nameEnd]
            guard let close = rest.range(of: "</\(name)>", range: open.lowerBound..<rest.endIndex) else {
                out += rest[open.lowerBound..<open.upperBound]
                rest = rest[open.upperBound...]
                continue
            }
            var element = String(rest[open.lowerBound..<close.upperBound])
            if let weight = value("Weight_Percentage", in: element).flatMap(Double.init), weight < 100 {
                if element.contains("<Active>true</Active>") {
                    element = element.replacingOccurrences(of: "<Active>true</Active>", with: "<Active>false</Active>")
                } else if !element.contains("<Active>") {
                    element = element.replacingOccurrences(of: "</\(name)>", with: "<Active>false</Active></\(name)>")
                }
            }
            out += element
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private static func value(_ tag: String, in element: String) -> String? {
        guard let a = element.range(of: "<\(tag)>"), let b = element.range(of: "</\(tag)>", range: a.upperBound..<element.endIndex) else { return nil }
        return element[a.upperBound..<b.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
