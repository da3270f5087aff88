import Foundation
import Hummingbird
import Logging
import Mustache
import Store

/// The web app: pages, the JSON API and calendar feeds over one store and one run queue.
public struct WebServer: Sendable {
    public let services: Services
    let templates: MustacheLibrary

    /// Opens the store in the data folder and recovers from an earlier stop (runs it left running
    /// become `interrupted`; queued ones start).
    public init(configuration: ServerConfiguration, store: Store? = nil) async throws {
        let store = try store ?? Store(directory: configuration.dataDirectory)
        services = Services(store: store, configuration: configuration)
        guard let folder = Bundle.module.path(forResource: "Templates", ofType: nil) else {
            throw StoreConflict("the page templates are missing from the installation")
        }
        templates = try await MustacheLibrary(directory: folder)
        try await services.resumeAfterRestart()
    }

    public func router() -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        let pages = Pages(services: services, templates: templates,
                          limiter: SignInLimiter(limit: services.configuration.signInAttempts, window: services.configuration.signInWindow))
        APIRoutes(services: services).add(to: router)
        FeedRoutes(services: services, pages: pages).add(to: router)
        pages.add(to: router)
        return router
    }

    public func application(logger: Logger? = nil) -> some ApplicationProtocol {
        let configuration = services.configuration
        var log = logger ?? Logger(label: "flexsched")
        if logger == nil { log.logLevel = .info }
        return Application(router: router(), configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                                  serverName: "flexsched"),
                           logger: log)
    }

    /// Serves until the process is stopped (SIGINT or SIGTERM end it gracefully).
    public func run() async throws {
        try await application().runService()
    }
}
