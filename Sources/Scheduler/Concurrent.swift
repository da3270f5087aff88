import Foundation
import Synchronization

/// Runs `body` for 0..<count, at most `width` at a time (every core when nil), and returns the
/// results in index order. Each solve is single-threaded (GLPK keeps its environment per thread), so
/// independent solves — what-if variants, explain's trial re-solves — run side by side this way; a
/// server's job passes the one lane it holds.
public func solveConcurrently<T: Sendable>(_ count: Int, width: Int? = nil, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
    let lanes = max(1, min(count, width ?? ProcessInfo.processInfo.activeProcessorCount))
    // Lane k takes k, k + lanes, ...: in index order within a lane, so no more than `lanes` at once.
    DispatchQueue.concurrentPerform(iterations: count == 0 ? 0 : lanes) { lane in
        for i in stride(from: lane, to: count, by: lanes) {
            let result = body(i)
            slots.withLock { $0[i] = result }
        }
    }
    return slots.withLock { $0.map { $0! } }
}
