@testable import CalendarExport
import Testing

@Suite struct TextEscaping {
    @Test func escapesBackslashSemicolonCommaAndNewlines() {
        #expect(ICalText.escape(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalText.escape("one\ntwo\r\nthree\rfour") == #"one\ntwo\nthree\nfour"#)
        #expect(ICalText.escape("colon: and \"quotes\" stay") == "colon: and \"quotes\" stay")
    }

    @Test func dropsControlCharactersButKeepsTabs() {
        #expect(ICalText.escape("a\u{07}b\tc\u{7F}") == "ab\tc")
    }

    @Test func unescapeRoundTrips() {
        let original = "Group: Ben K., the 2nd; Ana\\P.\nRoom 101"
        #expect(ICalText.unescape(ICalText.escape(original)) == original)
    }

    @Test func parameterValuesWithSeparatorsAreQuoted() {
        #expect(ICalText.parameterValue("America/New_York") == "America/New_York")
        #expect(ICalText.parameterValue("Custom: zone; A") == "\"Custom: zone; A\"")
    }
}

@Suite struct Folding {
    private func physicalLines(_ folded: String) -> [[UInt8]] {
        #expect(folded.hasSuffix("\r\n"))
        var lines: [[UInt8]] = [[]]
        let bytes = Array(folded.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { lines.append([]); i += 2; continue }
            lines[lines.count - 1].append(bytes[i]); i += 1
        }
        return lines.dropLast()
    }

    private func checkFolding(_ line: String) {
        let folded = ICalText.fold(line)
        let lines = physicalLines(folded)
        for (n, physical) in lines.enumerated() {
            #expect(physical.count <= 75, "line \(n) has \(physical.count) octets")
            // Each physical line on its own is valid UTF-8: no character was split.
            #expect(String(validating: physical, as: UTF8.self) != nil, "line \(n) splits a character")
            if n > 0 { #expect(physical.first == 32) }
        }
        #expect(ICalText.unfold(folded) == [line])
    }

    @Test func shortLinesAreNotFolded() {
        let exactly75 = String(repeating: "x", count: 75)
        #expect(ICalText.fold(exactly75) == exactly75 + "\r\n")
        #expect(ICalText.fold("VERSION:2.0") == "VERSION:2.0\r\n")
    }

    @Test func longAsciiFoldsAt75Octets() {
        let line = "DESCRIPTION:" + String(repeating: "abcdefghij", count: 20)
        let lines = physicalLines(ICalText.fold(line))
        #expect(lines.map(\.count) == [75, 75, 64]) // 212 octets: 75, then a space and 74, then a space and 63
        checkFolding(line)
    }

    /// A 2-, 3- and 4-octet character placed on every position around the 75-octet boundary.
    @Test(arguments: ["é", "€", "🦊", "👩🏽‍🏫"])
    func multiByteCharactersAtTheBoundaryAreNeverSplit(_ character: String) {
        for prefix in 70...76 {
            let line = String(repeating: "a", count: prefix) + String(repeating: character, count: 60)
            checkFolding(line)
            let lines = physicalLines(ICalText.fold(line))
            // The first line is as long as it can be without splitting the character.
            guard character.unicodeScalars.count == 1 else { continue }
            let width = character.unicodeScalars.first!.utf8.count
            let expectedFirst = prefix >= 75 ? 75 : prefix + (75 - prefix) / width * width
            #expect(lines[0].count == expectedFirst, "prefix \(prefix)")
        }
    }

    @Test func unfoldAcceptsTabsAndBareLineFeeds() {
        #expect(ICalText.unfold("SUMMARY:ab\n\tcd\r\n e\r\nEND:VEVENT\n") == ["SUMMARY:abcde", "END:VEVENT"])
    }
}
