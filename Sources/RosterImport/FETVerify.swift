import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What FET's own generator made of a locked file.
public struct FETVerdict: Sendable, Encodable {
    public var accepted: Bool
    /// FET's words: why it was rejected, or what it printed on success.
    public var message: String
    /// `Total soft conflicts` of FET's `*_soft_conflicts.txt`, when FET got that far.
    public var softConflicts: Double?
    public var seconds: Double
    /// Locked activities FET placed elsewhere (or not at all), as `id: locked ... placed ...`.
    public var misplaced: [String]
}

/// Runs `fet-cl` on a locked file and reads its verdict. FET is the independent judge here: it accepts
/// only if it prints `Simulation successful` and its result (`*_activities.xml`) places every activity
/// exactly where the file locks it.
public enum FETVerifier {
    /// `explicit`, or `fet-cl` on PATH (and in the usual system folders).
    public static func findFetCl(_ explicit: String?) -> String? {
        if let explicit { return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return (path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin"]).map { $0 + "/fet-cl" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `fet-cl --inputfile=FILE --outputdir=TMP --timelimitseconds=timeLimit --htmllevel=0`. On a
    /// locked file with a clash FET runs on past its own limit, so it is stopped at `deadline` seconds
    /// (SIGTERM, which makes it write what it has; SIGKILL 5 s later) and the verdict is rejected.
    public static func verify(file: String, locks: [FETLock], fetCl: String, timeLimit: Int, deadline: Double) throws -> FETVerdict {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-fet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let outDir = work.appendingPathComponent("out").path
        let log = work.appendingPathComponent("fet-cl.log").path
        let start = Date()
        let fet = try Spawned(fetCl, ["--inputfile=\(file)", "--outputdir=\(outDir)", "--timelimitseconds=\(timeLimit)", "--htmllevel=0"], log: log)
        var status = fet.wait(upTo: deadline)
        let timedOut = status == nil
        if timedOut {
            fet.signal(SIGTERM)
            status = fet.wait(upTo: 5)
            if status == nil { fet.signal(SIGKILL); status = fet.wait(upTo: 60) }
        }
        let seconds = Date().timeIntervalSince(start)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let words = fetWords(output)
        if timedOut {
            var message = "fet-cl did not finish within \(formatSeconds(deadline)) s (its own limit: \(timeLimit) s) and was stopped: "
                + "FET could not place every activity where the file locks it, so a hard constraint is broken"
            if let culprit = difficultActivity(outDir) { message += ". FET's logs/difficult_activities.txt names: \(culprit)" }
            return FETVerdict(accepted: false, message: message, softConflicts: nil, seconds: seconds, misplaced: [])
        }
        guard output.contains("Simulation successful") else {
            return FETVerdict(accepted: false, message: "fet-cl (\(status.map { "exit \($0)" } ?? "no exit status")) did not succeed: \(words)",
                              softConflicts: nil, seconds: seconds, misplaced: [])
        }
        let result = FETResult(outputDir: outDir)
        let misplaced = result.misplaced(locks)
        if misplaced.isEmpty, result.placements != nil {
            return FETVerdict(accepted: true, message: words, softConflicts: result.softConflicts, seconds: seconds, misplaced: [])
        }
        let reason = result.placements == nil ? "its *_activities.xml could not be read" : "it placed \(misplaced.count) activit\(misplaced.count == 1 ? "y" : "ies") elsewhere than locked"
        return FETVerdict(accepted: false, message: "fet-cl printed `Simulation successful`, but \(reason)",
                          softConflicts: result.softConflicts, seconds: seconds, misplaced: misplaced)
    }

    /// FET's messages, one per dialog it would have shown (`Title:`/`Message:` up to its buttons), and
    /// its verdict lines; without the notes it prints on any file (an older format converted, an
    /// optimisation tip, a duplicate constraint skipped).
    static func fetWords(_ output: String) -> String {
        let notes = ["Opening an older file", "Optimization tip"]
        var words: [String] = []
        var message: [String]?
        func flush() {
            if let m = message?.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " "), !m.isEmpty,
               !notes.contains(where: { m.hasPrefix($0) }), !m.hasSuffix("must be a duplicate") {
                words.append(m.count > 400 ? String(m.prefix(400)) + "..." : m)
            }
            message = nil
        }
        for line in output.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("Title:") { flush(); message = [] } else if line.hasPrefix("Message:") {
                message = [String(line.dropFirst("Message:".count))]
            } else if line.hasPrefix("Button ") || line.hasPrefix("Starting timetable generation") {
                flush()
            } else if message != nil {
                message!.append(line)
            } else if line.contains("Simulation") || line.contains("Cannot") || line.contains("aborting") || line.hasPrefix("Error") {
                words.append(line)
            }
        }
        flush()
        return words.prefix(12).joined(separator: " | ")
    }

    /// The activity FET names in logs/difficult_activities.txt as the likely cause, when it names one.
    static func difficultActivity(_ outDir: String) -> String? {
        guard let text = try? String(contentsOfFile: outDir + "/logs/difficult_activities.txt", encoding: .utf8) else { return nil }
        return text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Id:") }.map(String.init)
    }

    private static func formatSeconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s) }
}

/// What fet-cl wrote for a successful run: `timetables/NAME/NAME_activities.xml` (an `<Activity>` per
/// activity with `Id`, `Day`, `Hour` (its first hour) and `Room`, in FET's names) and
/// `NAME_soft_conflicts.txt` (a line `Total soft conflicts: X`).
struct FETResult {
    var placements: [Int: (day: String, hour: String, room: String)]?
    var softConflicts: Double?

    init(outputDir: String) {
        // The one timetable folder of a successful run (a stopped one also writes NAME-current and NAME-highest).
        let base = outputDir + "/timetables"
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .filter { !$0.hasSuffix("-current") && !$0.hasSuffix("-highest") }
        guard folders.count == 1 else { return }
        let folder = base + "/" + folders[0]
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        if let name = files.first(where: { $0.hasSuffix("_activities.xml") }),
           let data = FileManager.default.contents(atPath: folder + "/" + name) {
            let reader = ActivitiesReader()
            let parser = XMLParser(data: data)
            parser.delegate = reader
            if parser.parse() { placements = reader.found }
        }
        if let name = files.first(where: { $0.hasSuffix("_soft_conflicts.txt") }),
           let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8),
           let line = text.split(whereSeparator: \.isNewline).first(where: { $0.contains("Total soft conflicts:") }) {
            softConflicts = Double(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "")
        }
    }

    func misplaced(_ locks: [FETLock]) -> [String] {
        guard let placements else { return [] }
        return locks.compactMap { lock in
            guard let p = placements[lock.activity] else { return "\(lock.activity): locked \(lock.day) \(lock.hour), not in FET's result" }
            if p.day == lock.day && p.hour == lock.hour && (lock.room == nil || lock.room == p.room) { return nil }
            return "\(lock.activity): locked \(lock.day) \(lock.hour)\(lock.room.map { " in \($0)" } ?? ""), FET placed it \(p.day) \(p.hour)\(p.room.isEmpty ? "" : " in \(p.room)")"
        }
    }
}

/// Reads FET's `*_activities.xml`: `<Activities_Timetable>` of `<Activity>` with `Id`, `Day`, `Hour`, `Room`.
private final class ActivitiesReader: NSObject, XMLParserDelegate {
    var found: [Int: (day: String, hour: String, room: String)] = [:]
    private var fields: [String: String] = [:]
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if elementName == "Activity" { fields = [:] }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == "Activity" {
            if let id = Int(fields["Id"] ?? "") { found[id] = (fields["Day"] ?? "", fields["Hour"] ?? "", fields["Room"] ?? "") }
        } else {
            fields[elementName] = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        text = ""
    }
}

/// A program started with `posix_spawn`, its signals unblocked and at their defaults. Foundation's
/// `Process` would pass on the blocked signals of the thread that starts it (a test runner's or a
/// server's worker thread blocks SIGTERM), and a fet-cl deaf to SIGTERM cannot write what it has when
/// it is stopped; only SIGKILL would end it, 5 s later.
struct Spawned {
    let pid: pid_t

    /// Starts `path` with `arguments`, stdin from /dev/null, stdout and stderr both into `log`.
    init(_ path: String, _ arguments: [String], log: String) throws {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer { posix_spawn_file_actions_destroy(&actions); posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(result), userInfo: [NSLocalizedDescriptionKey: "cannot start \(path): \(String(cString: strerror(result)))"])
        }
        self.pid = pid
    }

    /// The exit status (128 + N when signal N ended it), or nil if it still runs after `seconds`.
    func wait(upTo seconds: Double) -> Int32? {
        let end = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + status & 0x7F }
            if r < 0 && errno != EINTR { return -1 }
            if Date() >= end { return nil }
            usleep(20_000)
        }
    }

    func signal(_ signal: Int32) { kill(pid, signal) }
}
