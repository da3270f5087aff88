import RosterImport
import ScenarioKit
import Store

/// The CSV sheets of an import, uploaded together. Each is named in messages by the name its field
/// stands for, never by what the browser sent: no request value becomes a file path, or a file name.
public struct SheetUpload: Sendable {
    public static let fields: [(field: String, file: String, required: Bool)] = [
        ("week", "WEEK.yaml", true), ("teachers", "teachers.csv", true), ("rooms", "rooms.csv", false),
        ("students", "students.csv", true), ("needs", "needs.csv", true),
    ]

    /// The texts by field name; an empty text is a file not chosen.
    public var texts: [String: String]

    public init(texts: [String: String]) { self.texts = texts }
}

extension ScenarioService {
    /// `flexsched import csv` on uploads: every problem of every sheet at once, or the scenario stored
    /// as its next version exactly as an uploaded scenario file would be, the import's warnings first.
    public func importSheets(_ sheets: SheetUpload, by user: UserRecord) async throws(ServiceError) -> UploadOutcome {
        var sources: [String: ImportSource] = [:]
        for (field, file, required) in SheetUpload.fields {
            if let text = sheets.texts[field], !text.isEmpty {
                sources[field] = ImportSource(file: file, text: text)
            } else if required {
                sources[field] = .absent(file: file, "was not uploaded; choose the file for `\(field)`")
            }
        }
        let result: ImportResult
        do {
            result = try importSpreadsheets(week: sources["week"]!, needs: sources["needs"]!, teachers: sources["teachers"]!,
                                            students: sources["students"]!, rooms: sources["rooms"], outputFile: "imported.yaml")
        } catch { throw .invalid(error.problems) }
        return try await upload(result.text, format: .yaml, fileName: "imported.yaml", warnings: result.warnings.map(\.description), by: user)
    }
}
