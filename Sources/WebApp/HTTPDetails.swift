import Hummingbird
import NIOCore

/// Headers every answer carries: no page may be framed by another site (clickjacking), no answer
/// is sniffed into another type, and no page's address (a private link's token) leaves in a Referer.
struct SecurityHeaders: RouterMiddleware {
    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }
}

/// The Content-Security-Policy of a rendered page: nothing but this server's own style sheet, and
/// the page's own inline script and grid styles, which carry the response's nonce.
func contentSecurityPolicy(nonce: String) -> String {
    "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'self' 'nonce-\(nonce)'; connect-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

/// RFC 9110's If-None-Match for a GET: `*` matches any current representation, and entity tags are
/// compared weakly (`W/"x"` matches `"x"`).
func ifNoneMatch(_ header: String?, matches etag: String) -> Bool {
    guard let header else { return false }
    func opaque(_ tag: Substring) -> Substring {
        let trimmed = tag.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        let tag = Substring(trimmed)
        return tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }
    if header.trimmingCharacters(in: .whitespaces) == "*" { return true }
    let current = opaque(Substring(etag))
    return header.split(separator: ",").contains { opaque($0) == current }
}
