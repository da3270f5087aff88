import Foundation
import Hummingbird
import NIOCore

/// `/cal/TOKEN.ics` and `/me/TOKEN`: what teachers, students and families open, without signing in.
/// An unknown, revoked or malformed token gets the same plain 404 as a token that never existed.
struct FeedRoutes {
    let publishing: PublishingService
    let pages: Pages

    func add(to router: Router<AppContext>) {
        router.get("cal/:file") { request, context in
            guard let file = context.parameters.get("file"), file.hasSuffix(".ics"),
                  let calendar = try await answer(context, { () async throws(ServiceError) in try await publishing.calendar(token: String(file.dropLast(4))) })
            else { return Self.notFound }
            var headers: HTTPFields = [.eTag: calendar.etag, .cacheControl: "private, max-age=300"]
            if ifNoneMatch(request.headers[.ifNoneMatch], matches: calendar.etag) {
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentType] = "text/calendar; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: calendar.body)))
        }
        // Rendered once per token and kept until what it shows changes: a flood of personal pages
        // costs lookups, not renderings, and the feeds beside them keep their speed.
        router.get("me/:token") { _, context in
            guard let token = context.parameters.get("token") else { return Self.notFound }
            if let page = publishing.pageCache.entry(token) { return pages.respond(page) }
            guard let week = try await answer(context, { () async throws(ServiceError) in try await publishing.personalWeek(token: token) })
            else { return Self.notFound }
            let page = pages.html("me", PersonalPage.values(week))
            publishing.pageCache.remember(token, page)
            return pages.respond(page)
        }
    }

    static var notFound: Response {
        Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
    }
}
