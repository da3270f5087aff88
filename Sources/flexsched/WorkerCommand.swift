import ArgumentParser
import Foundation
import WebApp

struct Worker: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve a district's queued runs: claims them from the shared PostgreSQL database.",
        discussion: """
        A worker serves nothing: it claims the oldest queued run from the database (each run goes to \
        one worker, whichever machine it is on), solves it on a thread of its own, and records the \
        checked timetable; servers on any machine show its progress live. It beats a heartbeat while \
        it solves: a run whose worker stops beating for 10 s (the machine died) is queued again once, \
        and interrupted if that happens twice. SIGTERM or SIGINT stops it gracefully: queued runs stay \
        queued, running ones stop at once and keep their best timetable, marked interrupted.

        Example:  flexsched worker --database postgres://flexsched:SECRET@db.district.org/flexsched --jobs 3
        """)

    @Option(help: ArgumentHelp("A district's PostgreSQL database: postgres://USER:PASSWORD@HOST:PORT/DATABASE.", valueName: "url"))
    var database: String
    @Option(help: "Solves at a time (default: one per core).") var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let shared = try StoreLocation.openShared(url: database, name: "the district's database")
        let worker = SolveWorker(store: shared.store, jobs: jobs)
        FileHandle.standardError.write(Data("flexsched worker \(worker.id) solving up to \(jobs) runs at a time\n".utf8))
        try waitFor { try await worker.run() }
    }
}
