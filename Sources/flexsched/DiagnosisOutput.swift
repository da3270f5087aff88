import Advisor
import Diagnosis
import Foundation
import ScenarioKit

/// The pre-solve diagnosis as text: one block per cause, in `diagnose`'s order (most students first).
/// Empty when nothing is provably short.
func diagnosisText(_ findings: [Finding]) -> String {
    guard !findings.isEmpty else { return "" }
    var lines = ["warning: \(findings.count == 1 ? "1 finding proves" : "\(findings.count) findings prove") that some needs "
                 + "cannot be fully met (the solve still meets what it can):"]
    var cause = ""
    for f in findings {
        if f.cause != cause {
            cause = f.cause
            lines.append("  \(cause)\(f.rules.isEmpty ? "" : " (\(f.rules.joined(separator: ", ")))"):")
        }
        lines.append("    - \(f.message)")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// The findings as `validate --json` lists them under "warnings".
func diagnosisJSON(_ findings: [Finding]) -> [[String: Any]] {
    findings.map { f in
        var entry: [String: Any] = [
            "cause": f.cause, "message": f.message, "rules": f.rules,
            "shortfalls": f.shortfalls.map { ["student": $0.student, "subject": $0.subject, "modality": $0.modality, "sessions": $0.sessions] }]
        // Only lesson findings have it, so a week without lessons reads exactly as before.
        if !f.unplaced.isEmpty { entry["unplaced"] = f.unplaced.map { ["lessons": $0.lessons, "sessions": $0.sessions] } }
        return entry
    }
}

/// `solve` warns before it starts, on stderr so stdout stays the summary or the timetable JSON; the
/// findings are returned so the unmet reasons after the solve need not diagnose again.
func warnAboutShortfalls(_ scenario: ValidatedScenario) -> [Finding] {
    let findings = diagnose(scenario)
    FileHandle.standardError.write(Data(diagnosisText(findings).utf8))
    return findings
}
