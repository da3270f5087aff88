/// A name GLPK accepts and free MPS can carry: GLPK raises a fatal error for names over 255 bytes
/// or with control characters, and free MPS separates its fields by blanks. Whitespace becomes
/// `_`, other control characters go, and the rest is cut to 255 bytes of UTF-8 without splitting a
/// character's encoding. An empty result gives `fallback`.
package func glpkName(_ name: String, fallback: String) -> String {
    var kept = String.UnicodeScalarView()
    var bytes = 0
    for scalar in name.unicodeScalars {
        let next: Unicode.Scalar
        if scalar.properties.isWhitespace {
            next = "_"
        } else if scalar.properties.generalCategory == .control {
            continue
        } else {
            next = scalar
        }
        let width = UTF8.width(next)
        if bytes + width > 255 { break }
        kept.append(next)
        bytes += width
    }
    return kept.isEmpty ? fallback : String(kept)
}
