import Foundation
import Hummingbird
import ScenarioKit
import Store

/// A request the services refuse, with the status it maps to; pages and the API show the same text.
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    case notFound(String)
    case badRequest(String)
    /// Problems in an uploaded file, each with its line and entity (422).
    case invalid([InputProblem])
    case conflict(String)
    /// The machine cannot save (a full disk, a read-only folder): a 503 with a plain sentence.
    case unavailable(StorageFault)
    /// The server failed (its database, mostly): a 500. `cause` goes to the log, not to the caller.
    case failure(cause: String)

    public var description: String {
        switch self {
        case .notFound(let m), .badRequest(let m), .conflict(let m): m
        case .invalid(let problems): problems.map(\.description).joined(separator: "\n")
        case .unavailable(let fault): fault.message
        case .failure: "the server failed to do this; its log has the cause"
        }
    }

    /// What the log gets: the cause of a failure, the message of a refusal.
    public var logText: String {
        if case .failure(let cause) = self { return cause }
        return description
    }

    /// One status per refusal, for pages and the JSON API alike.
    var status: HTTPResponse.Status {
        switch self {
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .invalid: .unprocessableContent
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        case .failure: .internalServerError
        }
    }
}

/// A store call whose failure is the server's (a 500 with its cause logged), never "not found";
/// a full disk or a read-only folder is a 503 that says so.
func stored<T>(_ doing: @autoclosure () -> String, _ body: () async throws -> T) async throws(ServiceError) -> T {
    do { return try await body() } catch {
        if let fault = StorageFault(error) { throw .unavailable(fault) }
        throw .failure(cause: "\(doing()): \(error)")
    }
}

/// A service's answer inside a route that has no page of its own for refusals: the refusal becomes
/// the HTTP error with its status, and a failure is logged with its cause first.
func answer<Value>(_ context: AppContext, _ body: () async throws(ServiceError) -> Value) async throws -> Value {
    do { return try await body() } catch {
        if case .failure(let cause) = error { context.logger.error("\(cause)") }
        throw HTTPError(error.status, message: error.description)
    }
}

/// Runs blocking work (a solve, explain's trials) on a new thread with a large stack: never on one of
/// Swift concurrency's few cooperative threads, which serve the pages and feeds.
func onDedicatedThread<T: Sendable>(name: String, _ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { done in
        let thread = Thread { done.resume(returning: work()) }
        thread.name = name
        // GLPK's branch and bound and the model builder recurse; a secondary thread's default is small.
        thread.stackSize = 16 << 20
        thread.start()
    }
}

/// Every service the routes use, made once per server over one store and one run queue. Pages and
/// the JSON API are given the same ones and hold no rules of their own.
public struct Services: Sendable {
    public let scenarios: ScenarioService
    public let runs: RunService
    public let publishing: PublishingService
    public let whatIf: WhatIfService
    public let accounts: AccountService
    public let explain: ExplainService

    init(store: Store, configuration: ServerConfiguration, solver: any TimetableSolver, standInHash: String) {
        let personalPages = TokenCache<String>()
        scenarios = ScenarioService(store: store, dataDirectory: configuration.dataDirectory, personalPages: personalPages)
        runs = RunService(store: store, scenarios: scenarios, solver: solver, workers: configuration.workers,
                          shutdownDeadline: .seconds(configuration.shutdownDeadline))
        publishing = PublishingService(store: store, scenarios: scenarios, runs: runs, publicBaseURL: configuration.publicBaseURL,
                                       pageCache: personalPages)
        whatIf = WhatIfService(store: store, runs: runs)
        accounts = AccountService(users: store.users, sessionLifetime: configuration.sessionLifetime, standInHash: standInHash)
        explain = ExplainService(runs: runs, solver: solver)
        runs.queue.attach(QueueWork(runs: runs, explain: explain, publishing: publishing))
    }
}

/// The queue's jobs, each to the service it belongs to.
struct QueueWork: JobExecutor {
    let runs: RunService
    let explain: ExplainService
    let publishing: PublishingService

    func forgetLinks() { publishing.forgetLinks() }

    func claim(worker: String) async -> Int64? { await runs.claim(worker: worker) }

    func beat(worker: String, solving: Set<Int64>) async -> Set<Int64> { await runs.beat(worker: worker, solving: solving) }

    func execute(_ job: QueueJob, queue: RunQueue) async -> RunState? {
        switch job {
        case .solve(let id): return await runs.execute(runID: id, queue: queue)
        case .explain(let id):
            await explain.execute(id, stopping: { queue.isStopping })
            return nil
        }
    }
}
