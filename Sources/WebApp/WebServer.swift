import Foundation
import Hummingbird
import Logging
import Mustache
import ServiceLifecycle
import Store

/// The web app: pages, the JSON API and calendar feeds over one store and one run queue.
public struct WebServer: Sendable {
    public let services: Services
    /// Held while the server runs: one server per data folder.
    private let lock: DataFolderLock?
    let configuration: ServerConfiguration
    let templates: MustacheLibrary

    /// Opens the store in the data folder and recovers from an earlier stop (runs it left running
    /// become `interrupted`; queued ones start). Tests may give their own store and solver.
    public init(configuration: ServerConfiguration, store: Store? = nil, solver: any TimetableSolver = SchedulerSolver()) async throws {
        let opened: Store
        if let store {
            opened = store
            lock = nil
        } else {
            opened = try Store(directory: configuration.dataDirectory)
            // Before anything recovers runs: a second server would take the first's queued ones.
            lock = try DataFolderLock(directory: configuration.dataDirectory,
                                      holder: "pid \(ProcessInfo.processInfo.processIdentifier), serving \(configuration.publicBaseURL)")
        }
        let standIn = try await Secrets.hashPassword(Secrets.password(), cost: configuration.bcryptCost)
        services = Services(store: opened, configuration: configuration, solver: solver, standInHash: standIn)
        self.configuration = configuration
        guard let folder = Bundle.module.path(forResource: "Templates", ofType: nil) else {
            throw StoreConflict("the page templates are missing from the installation")
        }
        templates = try await MustacheLibrary(directory: folder)
        try await services.runs.resumeAfterRestart()
    }

    public func router() -> Router<AppContext> {
        // HEAD for every GET (a calendar client checking a feed): Hummingbird answers it from the GET route.
        let router = Router(context: AppContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeaders())
        let pages = Pages(accounts: services.accounts, templates: templates,
                          limiter: SignInLimiter(store: services.runs.store, limit: configuration.signInAttempts, window: configuration.signInWindow),
                          clientAddress: ClientAddress(trustedProxy: configuration.trustedProxy),
                          secureCookies: configuration.publicBaseURL.lowercased().hasPrefix("https://"))
        let maxUpload = configuration.maxUploadBytes
        APIRoutes(scenarios: services.scenarios, runs: services.runs, publishing: services.publishing, whatIf: services.whatIf,
                  explain: services.explain, accounts: services.accounts, maxUploadBytes: maxUpload).add(to: router)
        FeedRoutes(publishing: services.publishing, pages: pages).add(to: router)
        let signedIn = pages.add(to: router)
        AdminPages(pages: pages, scenarios: services.scenarios, maxUploadBytes: maxUpload).add(to: signedIn)
        RunPages(pages: pages, scenarios: services.scenarios, runs: services.runs, publishing: services.publishing, explain: services.explain)
            .add(to: signedIn)
        WhatIfPages(pages: pages, runs: services.runs, whatIf: services.whatIf, maxUploadBytes: maxUpload).add(to: signedIn)
        LinkPages(pages: pages, scenarios: services.scenarios, publishing: services.publishing).add(to: signedIn)
        return router
    }

    /// What runs beside the HTTP server in its service group, and stops with it: the run queue.
    public var backgroundServices: [any Service] { [services.runs.queue] }

    public func application(logger: Logger? = nil) -> some ApplicationProtocol {
        var log = logger ?? Logger(label: "flexsched")
        if logger == nil { log.logLevel = .info }
        let limits = configuration.limits
        return Application(router: router(), server: limits.server(),
                           configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "flexsched",
                                                availableConnectionsDelegate: limits.connections(logger: log)),
                           services: backgroundServices, logger: log)
    }

    /// Serves until the process is stopped (SIGINT or SIGTERM end it gracefully: the run queue stops
    /// too). The graceful part is bounded: what has not finished a second after the solves' deadline
    /// is cancelled, and cancelled work gets a second more, so the process ends within 10 s.
    public func run() async throws {
        let app = application()
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
        group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownDeadline + 1)
        group.maximumCancellationDuration = .seconds(1)
        try await ServiceGroup(configuration: group).run()
    }
}
