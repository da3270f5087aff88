import Foundation
import Synchronization
import Testing

/// Runs `body` for each index in turn, waiting at most `limit` for each. A case still running then is
/// recorded as an issue named by `describe`, and nil comes back at once: a thread cannot be stopped
/// from outside, so the hung case is left behind and the cases after it are skipped.
///
/// The cases run as tasks on a thread of their own. So they can block (GLPK solves synchronously; a
/// hang blocks for good) without holding a thread of the shared pool, and, being tasks started here,
/// they keep the test's context: their #expect failures belong to the calling test. The caller waits
/// synchronously, holding its pool thread, so no more watched runs go at once than there are cores.
func runWatched<T: Sendable>(_ indices: Range<Int>, limit: Duration, describe: (Int) -> String,
                             _ body: @escaping @Sendable (Int) -> T) -> [T]? {
    let thread = CaseThread()
    defer { thread.finish() }
    var results: [T] = []
    for index in indices {
        let handoff = Handoff<T>()
        Task(executorPreference: thread) { handoff.put(body(index)) }
        guard let result = handoff.take(within: limit) else {
            Issue.record("\(describe(index)) was still running after \(limit): a hang; the watchdog stopped the test there")
            return nil
        }
        results.append(result)
    }
    return results
}

/// A task executor with one thread, which ends after `finish()` once the jobs before it have run.
private final class CaseThread: TaskExecutor {
    /// nil ends the thread.
    private let jobs = Mutex<[UnownedJob?]>([])
    private let queued = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in work() }
        // Yams and the readers recurse once per nesting level of a file: Linux's usual 8 MiB, not
        // the 512 KiB that secondary threads get on macOS.
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        queued.signal()
    }

    func finish() {
        jobs.withLock { $0.append(nil) }
        queued.signal()
    }

    private func work() {
        while true {
            queued.wait()
            guard let job = jobs.withLock({ $0.removeFirst() }) else { return }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// One case's result, from the case's thread to the test waiting for it.
private final class Handoff<T: Sendable>: Sendable {
    private let result = Mutex<T?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func put(_ value: T) {
        result.withLock { $0 = value }
        ready.signal()
    }

    func take(within limit: Duration) -> T? {
        let (seconds, attoseconds) = limit.components
        guard ready.wait(timeout: .now() + Double(seconds) + Double(attoseconds) * 1e-18) == .success else { return nil }
        return result.withLock { $0 }
    }
}
