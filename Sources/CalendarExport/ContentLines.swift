import Foundation

/// One iCalendar content line (RFC 5545 §3.1) before folding: `NAME;PARAM=VALUE:value`.
/// `value` is already encoded for its value type; use `text(_:_:)` for TEXT values.
struct ContentLine: Hashable, Sendable {
    var name: String
    var parameters: [Parameter] = []
    var value: String

    struct Parameter: Hashable, Sendable {
        var name: String
        var value: String
    }

    init(_ name: String, _ parameters: [Parameter], _ value: String) {
        self.name = name; self.parameters = parameters; self.value = value
    }

    init(_ name: String, _ value: String) { self.init(name, [], value) }

    static func text(_ name: String, _ value: String) -> ContentLine {
        ContentLine(name, [], ICalText.escape(value))
    }

    /// The unfolded line, without the line break.
    var rendered: String {
        var line = name
        for p in parameters { line += ";\(p.name)=\(ICalText.parameterValue(p.value))" }
        return line + ":" + value
    }
}

enum ICalText {
    static let crlf = "\r\n"

    /// TEXT escaping (§3.3.11). Control characters other than line breaks are not allowed in a
    /// content line at all, so they are dropped rather than escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Parameter values with `:`, `;` or `,` must be quoted (§3.2); `"` cannot appear at all.
    static func parameterValue(_ value: String) -> String {
        let cleaned = value.filter { $0 != "\"" && !$0.isNewline }
        return cleaned.contains(where: { ":;,".contains($0) }) ? "\"\(cleaned)\"" : cleaned
    }

    /// Folds a line to at most 75 octets per physical line (§3.1): continuation lines start with a
    /// space, and a multi-octet UTF-8 character is never split. Returns the physical lines joined
    /// and terminated by CRLF.
    static func fold(_ line: String, limit: Int = 75) -> String {
        var out = ""
        var current = 0
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if current + width > limit {
                out += crlf + " "
                current = 1
            }
            out.unicodeScalars.append(scalar)
            current += width
        }
        return out + crlf
    }

    /// Undoes folding: a line break followed by a space or tab joins the lines (§3.1).
    static func unfold(_ text: String) -> [String] {
        var lines: [String] = []
        for physical in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: true) {
            // Scalars, not Characters: a space followed by a combining mark or emoji modifier is
            // one Character, and folding may put exactly that at the start of a line.
            if let first = physical.unicodeScalars.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += String(physical.unicodeScalars.dropFirst())
            } else {
                lines.append(String(physical))
            }
        }
        return lines
    }

    /// The property name of an unfolded line, upper-cased.
    static func propertyName(_ line: String) -> String {
        String(String.UnicodeScalarView(line.unicodeScalars.prefix { $0 != ";" && $0 != ":" })).uppercased()
    }

    /// The value of an unfolded line: everything after the first `:` outside a quoted parameter value.
    /// Works on scalars, since a value may begin with a combining mark that would join the `:`.
    static func propertyValue(_ line: String) -> String {
        var quoted = false
        let scalars = line.unicodeScalars
        for index in scalars.indices {
            let c = scalars[index]
            if c == "\"" { quoted.toggle() } else if c == ":" && !quoted {
                return String(scalars[scalars.index(after: index)...])
            }
        }
        return ""
    }

    /// Reverses `escape` for display.
    static func unescape(_ value: String) -> String {
        var out = ""
        var escaping = false
        for c in value {
            if escaping {
                out.append(c == "n" || c == "N" ? "\n" : c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
