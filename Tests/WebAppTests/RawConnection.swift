import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to a test server, for clients no HTTP library would be: ones that send
/// a request a byte at a time, or never finish it.
final class RawConnection {
    private let socket: Int32
    private(set) var received = Data()
    private(set) var closedByServer = false

    /// Connects to `localhost` as the live test server listens on it (whichever address it resolves to).
    init(port: Int) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo("localhost", String(port), &hints, &list) == 0, let first = list else { throw TestFailure("localhost does not resolve") }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        var connected: Int32?
        while connected == nil, let address = entry {
            let fd = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if fd >= 0, connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                connected = fd
            } else if fd >= 0 {
                close(fd)
            }
            entry = address.pointee.ai_next
        }
        guard let connected else { throw TestFailure("could not connect to localhost:\(port)") }
        socket = connected
    }

    deinit { close(socket) }

    /// Sends without raising SIGPIPE; false once the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Reads what has arrived, without waiting; notes when the server closed. (Waiting is the
    /// caller's, with `Task.sleep`: a test blocking one of the few cooperative threads would slow
    /// the very server it waits for.)
    func poll() {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        while !closedByServer, Glibc.poll(&descriptor, 1, 0) > 0 {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 {
                closedByServer = true
            } else {
                received.append(contentsOf: buffer[0..<count])
            }
        }
    }

    /// Everything the server sent until it closed the connection (the whole answer to a request
    /// sent with `Connection: close`), or a failure naming `what` after `seconds`.
    func untilClosed(_ what: String, within seconds: Double) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !closedByServer {
            guard ContinuousClock.now < deadline else { throw TestFailure("waited \(seconds) s for \(what); got \(received.count) bytes") }
            try await Task.sleep(for: .milliseconds(50))
            poll()
        }
        return String(decoding: received, as: UTF8.self)
    }
}
