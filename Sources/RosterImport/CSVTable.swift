import CSV
import Foundation
import ScenarioKit

/// One CSV file as a spreadsheet or a student information system writes it, read in full before any
/// value is trusted. Parsing is CSV.swift's; this type adds what an admin needs when the file is wrong:
/// the line and column of every value, and the habits of spreadsheet programs accepted as they come
/// (a byte-order mark, CRLF line ends, `;` or tab separators, blank lines, spaces around values).
public struct CSVTable: Sendable {
    public let file: String
    /// Column names as written in the header, surrounding spaces removed.
    public let header: [String]
    public let rows: [CSVRecord]

    public static func read(path: String) throws(InputError) -> CSVTable {
        try parse(try ImportSource.read(path: path).contents.get(), file: path)
    }

    public static func parse(_ data: Data, file: String) throws(InputError) -> CSVTable {
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, "is not UTF-8 text; in the spreadsheet program save it as \"CSV UTF-8\"")
        }
        return try parse(text, file: file)
    }

    public static func parse(_ text: String, file: String) throws(InputError) -> CSVTable {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let delimiter = sniffDelimiter(text)
        if let open = unclosedQuote(in: text, delimiter: delimiter) {
            throw InputError([InputProblem(file: file, line: open.line, column: open.column, entity: "",
                                           message: "a quoted value starts here but its closing `\"` is missing; close it, and write a `\"` inside a value as `\"\"`")])
        }
        let reader: CSVReader
        do {
            // Spaces (never tabs, which may separate) are trimmed so that `a, "b, c"` reads as two values.
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: true, delimiter: delimiter,
                                   whitespaces: CharacterSet(charactersIn: " "))
        } catch {
            throw InputError(file: file, "cannot be read as CSV (\(error))")
        }
        var line = 1
        var header: [String]?
        var rows: [CSVRecord] = []
        var problems: [InputProblem] = []
        while let cells = reader.next() {
            let rowLine = line
            // A quoted value may hold line breaks; the next row starts that many lines further down.
            line += 1 + cells.reduce(0) { $0 + lineBreaks(in: $1) }
            let trimmed = cells.map { $0.trimmingCharacters(in: .whitespaces) }
            if trimmed.allSatisfy(\.isEmpty) { continue }
            guard let columns = header else { header = trimmed; continue }
            if trimmed.count > columns.count, !trimmed[columns.count...].allSatisfy(\.isEmpty) {
                problems.append(InputProblem(file: file, line: rowLine, column: columns.count + 1, entity: "",
                                             message: "\(trimmed.count) values but the header names \(columns.count) columns; put a value that holds `\(delimiter)` in double quotes"))
                continue
            }
            rows.append(CSVRecord(file: file, line: rowLine, header: columns, cells: trimmed))
        }
        if let error = reader.error { throw InputError(file: file, "cannot be read as CSV (\(error))") }
        guard let header else { throw InputError(file: file, "is empty; the first line must name the columns") }
        for (index, name) in header.enumerated() where name.isEmpty {
            problems.append(InputProblem(file: file, line: 1, column: index + 1, entity: "", message: "column \(index + 1) has no name in the header"))
        }
        if !problems.isEmpty { throw InputError(problems) }
        return CSVTable(file: file, header: header, rows: rows)
    }

    /// 1-based column numbers by lowercased name.
    public var columnNumbers: [String: Int] {
        Dictionary(header.enumerated().map { ($1.lowercased(), $0 + 1) }, uniquingKeysWith: { first, _ in first })
    }

    /// Problems with the header: each required column missing, and each column not in `required` or
    /// `optional` (a typo there would otherwise silently drop a whole column of data). Names are
    /// matched ignoring case, as spreadsheets are edited by hand.
    public func columnProblems(required: [String], optional: [String] = []) -> [InputProblem] {
        var problems: [InputProblem] = []
        let known = required + optional
        let present = Set(header.map { $0.lowercased() })
        for (index, name) in header.enumerated() where !name.isEmpty && !known.contains(where: { $0.lowercased() == name.lowercased() }) {
            let hint = closestMatch(to: name, among: known).map { " — did you mean `\($0)`?" } ?? "; the columns read are \(known.map { "`\($0)`" }.joined(separator: ", "))"
            problems.append(InputProblem(file: file, line: 1, column: index + 1, entity: "", message: "unknown column `\(name)`\(hint)"))
        }
        var seen: Set<String> = []
        for (index, name) in header.enumerated() where !name.isEmpty && !seen.insert(name.lowercased()).inserted {
            problems.append(InputProblem(file: file, line: 1, column: index + 1, entity: "", message: "column `\(name)` appears twice; keep one"))
        }
        for name in required where !present.contains(name.lowercased()) {
            problems.append(InputProblem(file: file, line: 1, entity: "", message: "missing column `\(name)`; the header must name it"))
        }
        return problems
    }

    /// The separator the header line uses most outside quotes: `,` unless a spreadsheet in a locale
    /// with decimal commas wrote `;` (or a tab-separated export).
    static func sniffDelimiter(_ text: String) -> UnicodeScalar {
        var counts: [UnicodeScalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.toggle(); continue }
            if !quoted, scalar == "\n" || scalar == "\r" { break }
            if !quoted, counts[scalar] != nil { counts[scalar]! += 1 }
        }
        let best = counts.max { ($0.value, $0.key == "," ? 1 : 0) < ($1.value, $1.key == "," ? 1 : 0) }!
        return best.value > 0 ? best.key : ","
    }

    /// Where a quoted value opens without ever closing: CSV.swift would read the rest of the file into
    /// it, so this is found first, with the place the admin must look.
    static func unclosedQuote(in text: String, delimiter: UnicodeScalar) -> (line: Int, column: Int)? {
        var line = 1, column = 0
        var openedAt: (line: Int, column: Int)?
        var atFieldStart = true
        var previousWasQuoteInQuotes = false
        for scalar in text.unicodeScalars {
            column += 1
            if openedAt != nil {
                if previousWasQuoteInQuotes {
                    previousWasQuoteInQuotes = false
                    // `""` is a quote inside the value; anything else after a `"` ends the value.
                    if scalar == "\"" { continue }
                    openedAt = nil
                } else {
                    if scalar == "\"" { previousWasQuoteInQuotes = true }
                    if scalar == "\n" { line += 1; column = 0 }
                    continue
                }
            }
            if scalar == "\"" && atFieldStart { openedAt = (line, column); continue }
            if scalar == "\n" { line += 1; column = 0 }
            atFieldStart = scalar == delimiter || scalar == "\n" || scalar == "\r" || (atFieldStart && scalar == " ")
        }
        return previousWasQuoteInQuotes ? nil : openedAt
    }

    private static func lineBreaks(in value: String) -> Int {
        var count = 0
        var afterCR = false
        for scalar in value.unicodeScalars {
            if scalar == "\n" { if !afterCR { count += 1 } } else if scalar == "\r" { count += 1 }
            afterCR = scalar == "\r"
        }
        return count
    }
}

/// One data row, with what it takes to point an admin at any of its values.
public struct CSVRecord: Sendable {
    public let file: String
    public let line: Int
    let header: [String]
    let cells: [String]

    /// The value under `column` (case ignored), or nil when the column is absent or the cell empty.
    public subscript(column: String) -> String? {
        guard let index = columnIndex(column), index < cells.count, !cells[index].isEmpty else { return nil }
        return cells[index]
    }

    public func columnIndex(_ column: String) -> Int? {
        header.firstIndex { $0.lowercased() == column.lowercased() }
    }

    /// A problem at this row's value under `column` (or at the row, when the column is absent).
    public func problem(_ column: String, entity: String = "", _ message: String) -> InputProblem {
        InputProblem(file: file, line: line, column: columnIndex(column).map { $0 + 1 }, entity: entity, message: message)
    }

    /// The value under a column every row must fill; logs a problem when it is empty.
    public func required(_ column: String, _ problems: inout [InputProblem], what: String) -> String? {
        if let value = self[column] { return value }
        problems.append(problem(column, "`\(column)` is empty; write \(what)"))
        return nil
    }

    /// A whole number in `range`, or nil with a problem; an empty cell is nil without one.
    public func integer(_ column: String, in range: ClosedRange<Int>, _ problems: inout [InputProblem]) -> Int? {
        guard let text = self[column] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let bounds = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            problems.append(problem(column, "`\(text)` is not a whole number \(bounds)"))
            return nil
        }
        return value
    }

    /// A date written YYYY-MM-DD as OneRoster requires, or nil with a problem; an empty cell is nil without one.
    public func date(_ column: String, _ problems: inout [InputProblem]) -> LocalDate? {
        guard let text = self[column] else { return nil }
        guard let date = LocalDate(parsing: text) else {
            problems.append(problem(column, "`\(text)` is not a date; write it as YYYY-MM-DD, for example 2027-01-11"))
            return nil
        }
        return date
    }
}
