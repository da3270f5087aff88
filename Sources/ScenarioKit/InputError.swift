import Foundation

/// One thing wrong with an input file, phrased so an admin knows where to look and what to change.
public struct InputProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// 1-based column, for table files (CSV) where a line holds many values.
    public var column: Int?
    /// The entity or key path, for example `students[ana].needs[1]`.
    public var entity: String
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, entity: String, message: String) {
        self.file = file; self.line = line; self.column = column; self.entity = entity; self.message = message
    }

    public var description: String {
        var place = line.map { "\(file):\($0)" } ?? file
        if line != nil, let column { place += ":\(column)" }
        return entity.isEmpty ? "\(place): \(message)" : "\(place): \(entity): \(message)"
    }
}

/// Every problem found in one input file; thrown as a whole so the admin can fix them in one pass.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var problems: [InputProblem]
    /// Likely typos in the same file (see `Scenario.warnings`): not why it was rejected, but often the
    /// explanation, as when the only math teacher "teaches `maths`".
    public var warnings: [InputProblem] = []
    public init(_ problems: [InputProblem]) { self.problems = problems }
    public init(file: String, line: Int? = nil, entity: String = "", _ message: String) {
        self.problems = [InputProblem(file: file, line: line, entity: entity, message: message)]
    }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads a whole file as UTF-8 text or explains why it cannot.
public func readTextFile(_ path: String) throws(InputError) -> String {
    guard FileManager.default.fileExists(atPath: path) else { throw InputError(file: path, "file not found") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError(file: path, "cannot be read (is it a directory, or unreadable?)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw InputError(file: path, "is not UTF-8 text")
    }
    return text
}

/// Writes a file so that readers see either the old content or the new, never half of it.
public func writeFileAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url, options: .atomic)
}

/// Collects problems while a file is read, so one pass reports all of them.
public final class ProblemLog {
    public private(set) var problems: [InputProblem] = []
    public init() {}
    public func append(_ problem: InputProblem) { problems.append(problem) }
    public var count: Int { problems.count }
    public var isEmpty: Bool { problems.isEmpty }
}

/// Source lines of entities, so meaning-level problems can point into the file too.
public final class LineLog {
    public private(set) var lines: [String: Int] = [:]
    public init() {}
    public subscript(entity: String) -> Int? {
        get { lines[entity] }
        set { lines[entity] = newValue }
    }
}
