import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// Clients that send their requests a byte at a time: the server closes them at its deadlines,
/// and a calendar client arriving meanwhile is answered, even with every connection slot taken.
@Suite(.timeLimit(.minutes(10))) struct SlowConnectionTests {
    @Test func slowHeadersAndSlowBodiesAreClosedAndFeedsKeepAnswering() async throws {
        let slots = 6
        let server = try await TestServer.make { configuration in
            configuration.limits.headerTimeout = 2
            configuration.limits.bodyTimeout = 2
            configuration.limits.idleTimeout = 30
            configuration.limits.maxConnections = slots
        }
        let example = try bundledScenario("example.yaml")
        // Published in-process first: with the whole suite on two cores, the live client's own
        // requests could take longer than the 2 s deadlines this server holds every client to.
        let token = try await server.test(.router) { client in try await publishedExample(client, server, example) }
        try await server.live { client in
            let port = try #require(client.port)
            // One byte every 100 ms keeps Hummingbird's idle timeout (30 s here) from ever firing:
            // only the header and body deadlines can end these.
            let slowHeaders = try (0..<slots / 2).map { _ in try RawConnection(port: port) }
            let slowBodies = try (0..<slots / 2).map { _ in try RawConnection(port: port) }
            for connection in slowHeaders { connection.send("GET /cal/\(token).ics HTTP/1.1\r\nHost: localhost\r\nX-Slow: ") }
            for connection in slowBodies {
                connection.send("POST /signin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\ncsrf=")
            }
            // Every slot is now taken (the test client holds one more): this client waits for a slot.
            let feed = try RawConnection(port: port)
            feed.send("GET /cal/\(token).ics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")

            let slow = slowHeaders + slowBodies
            let deadline = ContinuousClock.now + .seconds(60)
            while slow.contains(where: { !$0.closedByServer }) {
                let open = slow.filter { !$0.closedByServer }.count
                guard ContinuousClock.now < deadline else { throw TestFailure("waited 60 s for the server to close \(slow.count) slow connections; \(open) still open") }
                for connection in slow where !connection.closedByServer {
                    connection.send("a")
                    connection.poll()
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            // Closed without an answer: none of them ever finished a request.
            #expect(slow.allSatisfy { $0.received.isEmpty || String(decoding: $0.received, as: UTF8.self).hasPrefix("HTTP/1.1 408") })

            let answer = try await feed.untilClosed("the feed's answer while slow clients held every slot", within: 60)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))")
            #expect(answer.contains("BEGIN:VCALENDAR"))
        }
    }

    @Test func aKeptAliveConnectionThatSendsNothingIsClosed() async throws {
        // Only the header deadline can close it within the wait: the idle timeout is longer. The
        // wait is long because the whole suite shares NIO's event loops, whose timers then run late.
        let server = try await TestServer.make {
            $0.limits.headerTimeout = 1
            $0.limits.idleTimeout = 300
        }
        try await server.live { client in
            let connection = try RawConnection(port: try #require(client.port))
            connection.send("GET /static/app.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let received = try await connection.untilClosed("the server to close a silent kept-alive connection", within: 120)
            #expect(received.hasPrefix("HTTP/1.1 200"), "the request it sent was answered first")
        }
    }
}
