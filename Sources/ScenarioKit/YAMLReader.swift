import Foundation
import Yams

/// A YAML (or JSON) node with the key path that led to it, so every complaint names file, line and entity.
/// Scalars are read from their source text, never through YAML 1.1 type guessing: `8:30` stays a time,
/// `no` stays a name and `2027-01-11` stays a date.
public struct YAMLValue {
    public let node: Node
    public let path: String
    public let file: String
    let source: SourceLines

    public var line: Int? { node.mark.map { source.fileLine($0.line) } }

    public func problem(_ message: String) -> InputProblem {
        InputProblem(file: file, line: line, entity: path, message: message)
    }

    public static func parse(_ text: String, file: String) throws(InputError) -> YAMLValue {
        guard let root = try parseIfPresent(text, file: file) else { throw InputError(file: file, line: 1, "the file is empty") }
        return root
    }

    /// nil for a document with no content (empty, or only comments).
    public static func parseIfPresent(_ text: String, file: String) throws(InputError) -> YAMLValue? {
        let text = JSONEscapes.yamlReadable(text)
        do {
            guard let root = try Yams.compose(yaml: text) else { return nil }
            // An alias is the anchored node itself, so the readers walk it once per use: a few lines of
            // nested aliases ("billion laughs") would otherwise stand for millions of values and hang
            // the loader. Plain files never come near the cap (a value takes at least one byte).
            let cap = 2 * text.utf8.count + 100_000
            if YAMLValue.expandedCount(root, cap: cap) > cap {
                throw InputError(file: file, line: firstAliasLine(text),
                                 "aliases (`*name`) expand to more than \(cap) values; write the repeated parts out instead")
            }
            return YAMLValue(node: root, path: "", file: file, source: SourceLines(text))
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            let line = YAMLValue.line(of: error).map { SourceLines(text).fileLine($0) }
            // Split on LF scalars, as `SourceLines` counts: CR LF is one Character and would not split.
            let written = line.map { Substring(String(text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)[$0 - 1])) } ?? ""
            let advice = YAMLValue.plainAdvice(for: error, line: written) ?? YAMLValue.summary(of: error)
            throw InputError(file: file, line: line, "is not valid YAML or JSON: \(advice)")
        } catch {
            throw InputError(file: file, "is not valid YAML or JSON: \(error)")
        }
    }

    /// The line of the first alias (`*name` where a value starts), counted as `SourceLines` counts
    /// file lines (line feeds): the place to start writing the repeated parts out.
    private static func firstAliasLine(_ text: String) -> Int? {
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        guard let index = lines.firstIndex(where: { $0.range(of: #"(^|[\s\[{,:-])\*[^\s,\]}]"#, options: .regularExpression) != nil }) else { return nil }
        return index + 1
    }

    /// Values in the tree with every alias expanded, counted only until `cap` is passed (children are
    /// counted before they are queued, so the queue stays within the cap too).
    private static func expandedCount(_ node: Node, cap: Int) -> Int {
        var count = 1
        var pending = [node]
        while let next = pending.popLast() {
            switch next {
            case .scalar, .alias: continue
            case .sequence(let items):
                count += items.count
                if count > cap { return count }
                pending.append(contentsOf: items)
            case .mapping(let pairs):
                count += 2 * pairs.count
                if count > cap { return count }
                for (key, value) in pairs { pending.append(key); pending.append(value) }
            }
        }
        return count
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    /// libyaml's complaint in words an admin can act on, for the mistakes people make by hand; nil for
    /// the rest, which keep libyaml's own wording.
    private static func plainAdvice(for error: YamlError, line: Substring) -> String? {
        let problem: String
        switch error {
        case .scanner(_, let p, _, _), .parser(_, let p, _, _): problem = p
        default: return nil
        }
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        if indentation.contains("\t") || problem.contains("tab character") {
            return "this line is indented with a tab; indent with spaces, not tabs"
        }
        if problem.contains("found unexpected end of stream"), case .scanner(let context, _, _, _) = error,
           context?.text.contains("quoted scalar") == true {
            return "a quoted value is never closed; add the missing closing quote (\" or ')"
        }
        if problem.contains("mapping values are not allowed") {
            return "a `:` where none can go; check the indentation, and put values that contain `: ` in quotes"
        }
        if problem.contains("did not find expected key") {
            return "the indentation does not line up; keys of one entry must start in the same column"
        }
        if problem.contains("did not find expected ',' or ']'") {
            return "a `[` list is not closed with `]`, or a `,` is missing between its items"
        }
        if problem.contains("did not find expected ',' or '}'") {
            return "a `{` mapping is not closed with `}`, or a `,` is missing between its entries"
        }
        if problem.contains("could not find expected ':'") {
            return "a key has no `:` after it; write `key: value`"
        }
        return nil
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        case .duplicatedKeysInMapping(let duplicates, _):
            "the key \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) appears more than once in the same mapping"
        default: "\(error)"
        }
    }

    func child(_ node: Node, _ suffix: String) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? suffix : path + suffix, file: file, source: source)
    }

    /// The same node under another name, for example `blocks[b2]` instead of its position in the list.
    func named(_ path: String) -> YAMLValue { YAMLValue(node: node, path: path, file: file, source: source) }

    /// The text of the `key` field of a mapping when it is a plain value, used to name the entity in
    /// complaints about its other fields before the field itself has been checked.
    func peek(_ key: String) -> String? {
        guard case .mapping(let map) = node, let value = map.first(where: { $0.key.scalar?.string == key })?.value,
              case .scalar(let s) = value,
              !child(value, "").isNull else { return nil }
        return s.string
    }

    /// The value under `key` of a mapping, unchecked, for keys read apart from the rest.
    func peekValue(_ key: String) -> YAMLValue? {
        guard case .mapping(let map) = node, let value = map.first(where: { $0.key.scalar?.string == key })?.value else { return nil }
        return child(value, key)
    }

    // MARK: typed readers; each records a problem and returns nil instead of throwing,
    // so one pass reports everything that is wrong.

    public func mapping(_ problems: ProblemLog) -> [(key: String, value: YAMLValue)]? {
        guard case .mapping(let map) = node else {
            problems.append(problem("expected a mapping of `key: value` pairs, found \(kind)"))
            return nil
        }
        var result: [(String, YAMLValue)] = []
        for (k, v) in map {
            let key = k.scalar?.string ?? "?"
            result.append((key, child(v, path.isEmpty ? key : ".\(key)")))
        }
        return result
    }

    /// Reads a mapping whose keys must come from `allowed`; unknown keys are reported (a typo such as
    /// `max_per_day` would otherwise be silently ignored).
    public func fields(_ allowed: [String], _ problems: ProblemLog) -> [String: YAMLValue]? {
        guard let entries = mapping(problems) else { return nil }
        var result: [String: YAMLValue] = [:]
        for (key, value) in entries {
            if allowed.contains(key) { result[key] = value } else {
                problems.append(value.problem("unknown key `\(key)`; expected one of \(allowed.joined(separator: ", "))\(didYouMean(key, among: allowed))"))
            }
        }
        return result
    }

    public func sequence(_ problems: ProblemLog) -> [YAMLValue]? {
        switch node {
        case .sequence(let seq):
            // Items carry the list's own path: values are named in the message, and entity lists rename
            // each item after its id (an index counted from zero only puzzles an admin).
            return seq.map { child($0, "") }
        default:
            problems.append(problem("expected a list, found \(kind)"))
            return nil
        }
    }

    public func string(_ problems: ProblemLog) -> String? {
        // A plain `~` or `null` is YAML's "nothing"; taking it as the text "null" made `id: null` a
        // teacher called null. The writer quotes names spelled that way, so they still read back.
        guard case .scalar(let s) = node, !isNull else {
            problems.append(problem("expected a single value, found \(kind)"))
            return nil
        }
        return s.string
    }

    public func int(_ problems: ProblemLog, range: ClosedRange<Int>) -> Int? {
        if isNull { problems.append(problem("expected a whole number, found nothing")); return nil }
        guard let text = string(problems) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed) else {
            // Digits that do not fit in an Int would otherwise read as "not a number", which is confusing.
            let digits = trimmed.first == "-" || trimmed.first == "+" ? trimmed.dropFirst() : Substring(trimmed)
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
                problems.append(problem("\(trimmed) is out of range; use a number from \(range.lowerBound) to \(range.upperBound)"))
            } else {
                problems.append(problem("expected a whole number, found `\(text)`"))
            }
            return nil
        }
        guard range.contains(value) else {
            problems.append(problem("\(value) is out of range; use a number from \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return value
    }

    public func bool(_ problems: ProblemLog) -> Bool? {
        if isNull { problems.append(problem("expected true or false, found nothing")); return nil }
        guard let text = string(problems) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            problems.append(problem("expected true or false, found `\(text)`"))
            return nil
        }
    }

    public func stringList(_ problems: ProblemLog) -> [String]? {
        guard let items = sequence(problems) else { return nil }
        var result: [String] = []
        for item in items { if let s = item.string(problems) { result.append(s) } }
        return result
    }

    public var isNull: Bool {
        if case .scalar(let s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }

    var kind: String {
        switch node {
        case .scalar(let s): isNull ? "nothing" : "the value `\(s.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// Turns libyaml's line numbers into the ones an editor, `grep -n` or `sed -n` show, which count LF only.
/// libyaml also starts a line at a lone CR, NEL (U+0085), LS (U+2028) and PS (U+2029), and at the end
/// of a file it moves its mark to a line after the last one, so its numbers can point past the file.
struct SourceLines: Sendable {
    /// The file line on which each of libyaml's lines starts (index 0 is libyaml's line 1).
    private var starts = [1]
    private var lastLine = 1

    init(_ text: String) {
        var line = 1
        var afterCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n":
                line += 1
                // CR LF is one break to libyaml: the line the CR began starts after the LF.
                if afterCR { starts[starts.count - 1] = line } else { starts.append(line) }
            case "\r", "\u{85}", "\u{2028}", "\u{2029}":
                starts.append(line)
            default: break
            }
            afterCR = scalar == "\r"
        }
        // A final LF ends the last line rather than starting another.
        lastLine = text.unicodeScalars.last == "\n" ? line - 1 : line
    }

    /// The file line of libyaml's 1-based `line`; never past the file's last line.
    func fileLine(_ line: Int) -> Int {
        let index = min(max(line, 1), starts.count) - 1
        return min(starts[index], lastLine)
    }
}
