import Synchronization

/// What one process tells every process that shares its store: in a district, servers and workers on
/// several machines (PostgreSQL's LISTEN/NOTIFY carries these); in one process, its own parts.
public enum StoreEvent: Sendable, Equatable, Codable {
    /// Runs were queued (or queued again): idle workers claim them now rather than at their next poll.
    case runsQueued
    /// A running run's latest progress (the web app's JSON), for pages and event streams on every server.
    case runProgress(runID: Int64, json: String)
    case runFinished(runID: Int64, state: RunState)
    /// An admin asked a running run to stop; the worker solving it stops between sub-problems.
    case cancelRun(runID: Int64)
    /// A publication, rotation, revocation or upload changed what private links open: every
    /// server's caches of feeds and personal pages must go.
    case linksChanged
}

/// Delivery is best effort and at most once, to every subscriber of every process, the sender's
/// own included. What must not be lost is in the store as well (queued runs, cancel requests,
/// publications), and read there by polls and heartbeats.
public protocol StoreEvents: Sendable {
    func publish(_ event: StoreEvent) async
    /// Events from now on, until the stream is dropped.
    func subscribe() -> AsyncStream<StoreEvent>
}

/// The events of a store only one process uses (SQLite): handed to the subscribers directly.
public final class LocalEvents: StoreEvents {
    private let subscribers = Mutex<(next: Int, all: [Int: AsyncStream<StoreEvent>.Continuation])>((0, [:]))

    public init() {}

    public func publish(_ event: StoreEvent) async {
        deliver(event)
    }

    /// Hands an event to this process's subscribers (also what a shared store does with the events it hears).
    public func deliver(_ event: StoreEvent) {
        for subscriber in subscribers.withLock({ Array($0.all.values) }) { subscriber.yield(event) }
    }

    public func subscribe() -> AsyncStream<StoreEvent> {
        // Progress is frequent and only the latest matters; nothing else comes in bursts.
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let key = subscribers.withLock { s in
            defer { s.next += 1 }
            s.all[s.next] = continuation
            return s.next
        }
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.all.removeValue(forKey: key) } }
        return stream
    }
}
