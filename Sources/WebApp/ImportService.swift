import RosterImport
import ScenarioKit
import Store

/// The files of an import as uploaded, by form field. Each is named in messages by the file its field
/// stands for, never by what the browser sent: no request value becomes a file path, or a file name.
public struct ImportUpload: Sendable {
    /// `flexsched import csv`'s files: (field, file, required).
    public static let sheets: [(field: String, file: String, required: Bool)] = [
        ("week", "WEEK.yaml", true), ("teachers", "teachers.csv", true), ("rooms", "rooms.csv", false),
        ("students", "students.csv", true), ("needs", "needs.csv", true),
    ]
    /// `flexsched import oneroster`'s: the template, the needs and the student settings sheet
    /// (`settings`, optional), and the export's files, each under its name without `.csv`.
    public static let roster: [(field: String, file: String, required: Bool)] = [
        ("week", "WEEK.yaml", true), ("needs", "NEEDS.csv", true), ("settings", "STUDENTS.csv", false),
    ] + OneRoster.fileNames.map { (String($0.dropLast(4)), $0, false) }

    /// The texts by field name; an empty text is a file not chosen.
    public var texts: [String: String]

    public init(texts: [String: String]) { self.texts = texts }

    func source(_ field: String, _ list: [(field: String, file: String, required: Bool)]) -> ImportSource? {
        let (_, file, required) = list.first { $0.field == field }!
        if let text = texts[field], !text.isEmpty { return ImportSource(file: file, text: text) }
        return required ? .absent(file: file, "was not uploaded; choose the file for `\(field)`") : nil
    }

    func value(_ field: String) -> String? { texts[field].flatMap { $0.isEmpty ? nil : $0 } }
}

extension ScenarioService {
    /// `flexsched import csv` on uploads: every problem of every sheet at once, or the scenario stored
    /// as its next version exactly as an uploaded scenario file would be, the import's warnings first.
    public func importSheets(_ upload: ImportUpload, by user: UserRecord, schoolID: Int64? = nil) async throws(ServiceError) -> UploadOutcome {
        let sheets = ImportUpload.sheets
        return try await storeImport(by: user, schoolID: schoolID) { () throws(InputError) in
            try importSpreadsheets(week: upload.source("week", sheets)!, needs: upload.source("needs", sheets)!,
                                   teachers: upload.source("teachers", sheets)!, students: upload.source("students", sheets)!,
                                   rooms: upload.source("rooms", sheets), outputFile: "imported.yaml")
        }
    }

    /// `flexsched import oneroster` on uploads, with `school` and `term` as the command line's options.
    public func importRoster(_ upload: ImportUpload, by user: UserRecord, schoolID: Int64? = nil) async throws(ServiceError) -> UploadOutcome {
        let list = ImportUpload.roster
        var files: [String: String] = [:]
        for name in OneRoster.fileNames { files[name] = upload.value(String(name.dropLast(4))) }
        return try await storeImport(by: user, schoolID: schoolID) { () throws(InputError) in
            try importOneRoster(files: files, school: upload.value("school"), term: upload.value("term"), week: upload.source("week", list)!,
                                needs: upload.source("needs", list)!, studentSettings: upload.source("settings", list), outputFile: "imported.yaml")
        }
    }

    private func storeImport(by user: UserRecord, schoolID: Int64?, _ run: () throws(InputError) -> ImportResult) async throws(ServiceError) -> UploadOutcome {
        let result: ImportResult
        do { result = try run() } catch { throw .invalid(error.problems) }
        return try await upload(result.text, format: .yaml, fileName: "imported.yaml", warnings: result.warnings.map(\.description), by: user,
                                schoolID: schoolID)
    }
}
