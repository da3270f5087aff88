import Foundation
import PostgresStore
import ServerTestSupport
import Store
import Testing

/// The store's events reach every subscriber: in one process for SQLite, across processes (here two
/// pools, as two servers have) through LISTEN/NOTIFY for PostgreSQL.
@Suite struct StoreEventTests {
    @Test func anEventSentThroughOneDatabaseConnectionIsHeardThroughAnother() async throws {
        guard let url = try await SharedPostgres.newDatabase() else {
            try Test.cancel("PostgreSQL is not installed (apt-get install postgresql); CI runs these")
        }
        let (listener, sender) = (try PostgresDatabase(url: url), try PostgresDatabase(url: url))
        let heard = try await listener.withRunning { listening in
            let stream = listening.events.subscribe()
            try await sender.withRunning { sending in
                await sending.events.publish(.runProgress(runID: 7, json: "{\"unmet\":1}"))
                await sending.events.publish(.runFinished(runID: 7, state: .done))
            }
            return try await firstEvents(2, of: stream, within: .seconds(30))
        }
        #expect(heard == [.runProgress(runID: 7, json: "{\"unmet\":1}"), .runFinished(runID: 7, state: .done)])
    }

    @Test func aLocalStoreHandsItsEventsToItsOwnSubscribers() async throws {
        let store = try Store.inMemory()
        let stream = store.events.subscribe()
        await store.events.publish(.linksChanged)
        #expect(try await firstEvents(1, of: stream, within: .seconds(30)) == [.linksChanged])
    }

    /// The first `count` events, or a failure saying how many came before the deadline.
    private func firstEvents(_ count: Int, of stream: AsyncStream<StoreEvent>, within deadline: Duration) async throws -> [StoreEvent] {
        try await withThrowingTaskGroup(of: [StoreEvent]?.self) { group in
            group.addTask {
                var events: [StoreEvent] = []
                for await event in stream {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let events = try await group.next() ?? nil else {
                Issue.record("fewer than \(count) events arrived within \(deadline)")
                return []
            }
            return events
        }
    }
}
