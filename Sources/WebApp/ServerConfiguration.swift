import Foundation

public struct ServerConfiguration: Sendable {
    /// Holds `flexsched.sqlite`; nothing else is written there or anywhere.
    public var dataDirectory: String
    public var host = "127.0.0.1"
    public var port = 8080
    /// Larger uploads are refused with 413.
    public var maxUploadBytes = 10 << 20
    /// Solves at a time: one per core less one (the pages and feeds keep one), at least one.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    /// Where people reach the server, for the links in feeds and on pages (a proxy's https address);
    /// by default the address it listens on.
    public var publicURL: String?
    /// Failed sign-ins allowed per address within `signInWindow` seconds.
    public var signInAttempts = 5
    public var signInWindow: Double = 300
    /// The address of a reverse proxy in front of the server: only requests from it have their
    /// client address taken from `X-Forwarded-For` (for the sign-in limit). Nil: no proxy is trusted.
    public var trustedProxy: String?
    /// bcrypt's cost for the stand-in hash an unknown name is checked against: the cost of the
    /// accounts' own hashes (`users add`), so both answers take as long.
    public var bcryptCost: UInt8 = Accounts.bcryptCost
    /// On a graceful stop (SIGTERM, SIGINT) running solves are asked to stop at once; the server
    /// waits this many seconds for them to record what they found before it stops without them.
    /// Whatever still runs a second later (a client that does not let go) is cancelled, so the
    /// process ends within 10 s of the signal in every state.
    public var shutdownDeadline: Double = 8
    /// Timeouts for reading requests, and how many connections may be open at once.
    public var limits = ConnectionLimits()
    /// How long a sign-in lasts.
    public var sessionLifetime: Double = 12 * 3_600

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    public var publicBaseURL: String {
        (publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }
}
