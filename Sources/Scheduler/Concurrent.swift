import Foundation

/// Runs `body` for 0..<count on all cores and returns the results in index order. Each solve is
/// single-threaded (GLPK keeps its environment per thread), so independent solves — what-if
/// variants, explain's trial re-solves — run side by side this way.
public func solveConcurrently<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, body(i)) }
    return slots.values
}

/// One slot per index, written once from whichever thread ran it.
private final class Slots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); storage[i] = value; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return storage.map { $0! } }
}
