import Foundation

/// UIDs and file names. Both are pure functions of ids, so every export of the same scenario gives
/// the same ones: re-importing updates events instead of adding copies.
enum Identifiers {
    /// `<school>.<view>.<owner>.<subject>.<modality>.<weekday>.<block>@flexsched`.
    /// Each component is encoded injectively (`.` and `_` never appear unescaped inside one), so
    /// different sessions can never share a UID, whatever their ids contain.
    static func uid(school: String, view: String, owner: String, subject: String, modality: String,
                    weekday: String, block: String) -> String {
        [schoolKey(school), view, owner, subject, modality, weekday, block]
            .map(component).joined(separator: ".") + "@flexsched"
    }

    /// `<school>.<view>.<owner>.fixed.<id>.<weekday>@flexsched` for a session fixed outside flexsched:
    /// its id names it, so moving it within the day or renaming it updates the event. Six components
    /// where a flexible session's UID has seven, so the two kinds never share a UID.
    static func uid(school: String, view: String, owner: String, fixed id: String, weekday: String) -> String {
        [schoolKey(school), view, owner, "fixed", id, weekday].map(component).joined(separator: ".") + "@flexsched"
    }

    /// `<school>.<view>.<owner>.lesson.<id>.<weekday>-<n>@flexsched` for the n-th session of a class
    /// lesson on that weekday: moving it within the day updates its event. Six components like a
    /// fixed session's UID, told apart by `lesson` where that has `fixed`.
    static func uid(school: String, view: String, owner: String, lesson id: String, weekday: String, ordinal: Int) -> String {
        [schoolKey(school), view, owner, "lesson", id, "\(weekday)-\(ordinal)"].map(component).joined(separator: ".") + "@flexsched"
    }

    /// A readable slug of the scenario name plus a hash of the exact name, so two schools (or two
    /// scenarios of one school) never share UIDs even when their names slug alike.
    static func schoolKey(_ name: String) -> String {
        let words = asciiSlug(name, keep: "").lowercased().split(separator: "-", omittingEmptySubsequences: true)
        var slug = ""
        for word in words {
            guard slug.count + word.count < 24 else { break }
            slug += (slug.isEmpty ? "" : "-") + word
        }
        return (slug.isEmpty ? "school" : slug) + "-" + hash(name)
    }

    /// Letters, digits and `-` stay; every other UTF-8 byte becomes `_HH`.
    static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || c == "-") {
                out.append(c)
            } else {
                out += "_" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// File stems for a set of ids, safe on every common file system: ASCII letters, digits, `-`, `_`
    /// and inner `.` only, no reserved Windows device names, and no two stems equal when case is ignored.
    /// A stem that had to change, or would collide, gets a short hash of its id.
    static func fileStems(for ids: [String]) -> [String: String] {
        var plain: [String: String] = [:]
        for id in ids { plain[id] = String(asciiSlug(id, keep: "-_.").prefix(48)) }
        var byFolded: [String: Int] = [:]
        for stem in plain.values { byFolded[stem.lowercased(), default: 0] += 1 }
        var result: [String: String] = [:]
        for id in ids {
            let stem = plain[id]!
            let clean = stem == id && !stem.isEmpty && !stem.hasSuffix(".") && byFolded[stem.lowercased()] == 1 && !isReservedOnWindows(stem)
            result[id] = clean ? stem : (stem.isEmpty ? "" : stem + "-") + hash(id)
        }
        return result
    }

    static func isReservedOnWindows(_ stem: String) -> Bool {
        let upper = stem.uppercased()
        if ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"].contains(upper) { return true }
        if upper.count == 4, upper.hasPrefix("COM") || upper.hasPrefix("LPT"), let last = upper.last, last.isNumber { return true }
        return false
    }

    /// Accents dropped, then anything outside ASCII letters, digits and `keep` becomes `-`.
    private static func asciiSlug(_ text: String, keep: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        return String(folded.unicodeScalars.map { s -> Character in
            s.isASCII && (CharacterSet.alphanumerics.contains(s) || keep.unicodeScalars.contains(s)) ? Character(s) : "-"
        })
    }

    /// FNV-1a (64-bit) of the UTF-8 bytes, first 8 hex digits: stable across runs and platforms,
    /// unlike `Hasher`.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return String(String(h, radix: 16).leftPadded(to: 16).prefix(8))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
