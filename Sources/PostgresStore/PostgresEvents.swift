import Foundation
import Logging
import PostgresNIO
import Store

/// The store's events between a district's processes: NOTIFY on one channel, heard by every process
/// that LISTENs on it (the sender too, as the protocol asks). PostgreSQL delivers a notification
/// only to connections listening when it commits, so events sent while a process reconnects are
/// missed: what matters is in the tables as well (`StoreEvents`).
final class PostgresEvents: StoreEvents {
    static let channel = "flexsched_events"
    let client: PostgresClient
    let logger: Logger
    private let local = LocalEvents()

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    func publish(_ event: StoreEvent) async {
        do {
            let payload = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
            try await client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
        } catch {
            logger.warning("an event could not be sent (\(event)): \(String(reflecting: error))")
        }
    }

    func subscribe() -> AsyncStream<StoreEvent> { local.subscribe() }

    /// Listens on one pooled connection until cancelled, and listens again a second after a
    /// dropped connection (a database restart).
    func listen(ready: @Sendable () -> Void) async {
        let decoder = JSONDecoder()
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        ready()
                        for try await notification in notifications {
                            guard let event = try? decoder.decode(StoreEvent.self, from: Data(notification.payload.utf8)) else {
                                logger.warning("an event that is not one: \(notification.payload.prefix(200))")
                                continue
                            }
                            local.deliver(event)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for events stopped; again in 1 s: \(String(reflecting: error))")
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
