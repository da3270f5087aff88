import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// How long a client may take, and how many may be connected at once. A client that sends its
/// request slowly holds a file descriptor and a connection slot; without these, enough slow
/// clients take every descriptor and nobody else is answered.
public struct ConnectionLimits: Sendable {
    /// From a connection's start, or the end of its previous response, until the request's whole
    /// head (request line and headers) has arrived. Also how long a kept-alive connection may wait
    /// for its next request.
    public var headerTimeout: Double = 10
    /// From a request's head until the last byte of its body (an upload of `--max-upload` included).
    public var bodyTimeout: Double = 60
    /// Hummingbird's idle timeout: a connection that neither sends a part of a request nor receives
    /// a response for this long is closed (a body that stalls, a client that stops reading).
    /// Responses being written are never cut, so live progress streams stay open.
    public var idleTimeout: Double = 30
    /// Open connections at most (Hummingbird's `MaximumAvailableConnections`): past it the server
    /// stops accepting, and new clients wait in the listen backlog until a connection closes.
    public var maxConnections = 2_048

    public init() {}

    func server() -> HTTPServerBuilder {
        let (header, body) = (Self.time(headerTimeout), Self.time(bodyTimeout))
        return .http1(configuration: .init(additionalChannelHandlers: [RequestDeadlines(header: header, body: body)],
                                           idleTimeout: Self.time(idleTimeout)))
    }

    func connections(logger: Logger) -> any AvailableConnectionsDelegate {
        MaximumAvailableConnections(maxConnections, logger: logger)
    }

    static func time(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64(seconds * 1_000_000_000)) }
}

/// Closes a connection whose request head or body does not arrive in time. Hummingbird's idle
/// timeout alone lets a client that sends a byte now and then keep a connection forever; these are
/// deadlines for the whole head and the whole body. A response being written is never timed.
final class RequestDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let header: TimeAmount
    let body: TimeAmount
    private var timer: Scheduled<Void>?
    /// Requests whose head has arrived and whose response has not ended.
    private var unanswered = 0
    private var readingBody = false

    init(header: TimeAmount, body: TimeAmount) {
        self.header = header
        self.body = body
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(header, context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(header, context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingBody = true
            arm(body, context)
        case .body:
            break
        case .end:
            readingBody = false
            // A busy server may have answered before the request's end was read: the wait for the
            // next request starts now, or only the idle timeout would ever close the connection.
            if unanswered == 0 { arm(header, context) } else { disarm() }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered -= 1
            if unanswered == 0, !readingBody { arm(header, context) }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ time: TimeAmount, _ context: ChannelHandlerContext) {
        disarm()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: time) { channel.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
