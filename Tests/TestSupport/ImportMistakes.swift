import Foundation

/// The bundled CSV template (Scenarios/csv-template) with mistakes put in by hand, for the tests that
/// an import reports every one of them in one run, each where the admin must look.
public enum ImportMistakes {
    public static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Scenarios/csv-template").standardized

    public static let fileNames = ["WEEK.yaml", "teachers.csv", "rooms.csv", "students.csv", "needs.csv"]

    /// The template's files by name, with the week template also setting Dr. Okafor's weekly limit
    /// to 10 where the teachers sheet (line 4, column 6) says 3.
    public static func disagreeing() throws -> [String: String] {
        var files = try Dictionary(uniqueKeysWithValues: fileNames.map { name in
            (name, try String(contentsOf: template.appendingPathComponent(name), encoding: .utf8))
        })
        files["WEEK.yaml"]! += "\nteachers:\n  - {id: okafor, max-per-week: 10}\n"
        return files
    }

    /// `disagreeing()` with five mistakes in three files, and the place of each as
    /// `file:line[:column]`: a block of the week template that ends before it starts; a day the week
    /// does not have and a limit that is not a number in the teachers sheet; a misspelt modality and
    /// an unknown student in the needs sheet.
    public static func mistaken() throws -> (files: [String: String], places: Set<String>) {
        var files = try disagreeing()
        files["WEEK.yaml"] = try replaced(files["WEEK.yaml"]!, #"{id: b4, start: "11:05", end: "11:50"}"#, #"{id: b4, start: "11:05", end: "10:50"}"#)
        let blockLine = files["WEEK.yaml"]!.components(separatedBy: "\n").firstIndex { $0.contains("id: b4") }! + 1
        files["teachers.csv"] = try replaced(try replaced(files["teachers.csv"]!, "okafor,Dr. Okafor,science math,wed mon.b1", "okafor,Dr. Okafor,science math,fri mon.b1"),
                                             "garcia,Mr. Garcia,reading writing spanish,,3,", "garcia,Mr. Garcia,reading writing spanish,,three,")
        files["needs.csv"] = try replaced(try replaced(files["needs.csv"]!, "ana-p,math,tutoring,2,", "ana-p,math,tutorin,2,"),
                                          "liam-o,math,small-group,2,", "liam-x,math,small-group,2,")
        return (files, ["WEEK.yaml:\(blockLine)", "teachers.csv:3:5", "teachers.csv:4:4", "needs.csv:2:3", "needs.csv:4:1"])
    }

    /// Where the sheet's value wins over the week template's in `disagreeing()`.
    public static let disagreement = "teachers.csv:4:6"

    /// `file:line[:column]` with the file's folder left out.
    public static func place(file: String, line: Int?, column: Int?) -> String {
        [URL(fileURLWithPath: file).lastPathComponent, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
    }

    /// Writes `files` into a new temporary folder; returns its path.
    public static func write(_ files: [String: String]) throws -> String {
        let folder = NSTemporaryDirectory() + "flexsched-import-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return folder
    }

    private static func replaced(_ text: String, _ old: String, _ new: String) throws -> String {
        guard text.contains(old) else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the template no longer holds `\(old)`"]) }
        return text.replacingOccurrences(of: old, with: new)
    }
}
