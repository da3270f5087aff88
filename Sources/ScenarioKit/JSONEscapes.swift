import Foundation

/// JSON writes a character beyond the Basic Multilingual Plane (an emoji, a rare Han character) as
/// two `\u` escapes, a UTF-16 surrogate pair: `"\ud83c\udf89"` is what Python's `json.dumps` writes
/// for 🎉. YAML's `\u` takes one whole character and refuses a surrogate, so the YAML reader, which
/// reads JSON too, would reject valid JSON. In a document that is JSON, each pair is rewritten as
/// YAML's `\U0001F389` before reading, on the same line, so problems keep their line numbers.
enum JSONEscapes {
    static func yamlReadable(_ text: String) -> String {
        guard text.contains("\\u"), (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil else {
            return text
        }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            guard inString else {
                if byte == UInt8(ascii: "\"") { inString = true }
                out.append(byte)
                i += 1
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = false }
            guard byte == UInt8(ascii: "\\"), i + 1 < bytes.count else {
                out.append(byte)
                i += 1
                continue
            }
            if let high = unit(bytes, at: i), (0xD800...0xDBFF).contains(high),
               let low = unit(bytes, at: i + 6), (0xDC00...0xDFFF).contains(low) {
                let scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                out.append(contentsOf: Array(String(format: "\\U%08X", scalar).utf8))
                i += 12
            } else {
                // Any other escape (`\"`, `\\`, a BMP `\u`) is copied whole, so its second character is never taken for a quote.
                out.append(contentsOf: bytes[i...i + 1])
                i += 2
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The UTF-16 unit of a `\uXXXX` escape starting at `index`.
    private static func unit(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
        return Int(String(decoding: bytes[index + 2 ..< index + 6], as: UTF8.self), radix: 16)
    }
}
