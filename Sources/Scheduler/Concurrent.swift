import Foundation
import Synchronization

/// Runs `body` for 0..<count on all cores and returns the results in index order. Each solve is
/// single-threaded (GLPK keeps its environment per thread), so independent solves — what-if
/// variants, explain's trial re-solves — run side by side this way.
public func solveConcurrently<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let result = body(i)
        slots.withLock { $0[i] = result }
    }
    return slots.withLock { $0.map { $0! } }
}
