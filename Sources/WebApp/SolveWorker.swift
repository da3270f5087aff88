import Foundation
import Logging
import ServiceLifecycle
import Store

/// A district's solve worker: the run queue of a server without the server. It claims runs from the
/// shared store, solves them and records them; its progress reaches every server through the store's
/// events.
public struct SolveWorker: Sendable {
    let services: Services
    let configuration: ServerConfiguration

    public init(store: Store, jobs: Int, solver: any TimetableSolver = SchedulerSolver()) {
        var configuration = ServerConfiguration(dataDirectory: "")
        configuration.workers = jobs
        self.configuration = configuration
        // No one signs in to a worker: the stand-in hash for unknown names is never asked for.
        services = Services(store: store, configuration: configuration, solver: solver, standInHash: "")
    }

    /// How the store knows this worker's runs.
    public var id: String { services.runs.queue.workerID }

    /// Solves until SIGTERM or SIGINT, then stops as a server's queue does (`RunQueue`).
    public func run() async throws {
        let logger = Logger(label: "flexsched.worker")
        var group = ServiceGroupConfiguration(services: [services.runs.queue], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownDeadline + 1)
        group.maximumCancellationDuration = .seconds(1)
        try await ServiceGroup(configuration: group).run()
    }
}
