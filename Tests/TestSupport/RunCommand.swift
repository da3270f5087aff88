// Test support reaches into the CLI's internals (@testable), which only debug builds allow; without
// the guard `swift build -c release` of the whole package would fail here.
#if DEBUG
import ArgumentParser
@testable import flexsched

/// Runs a command line in-process; returns the exit code it asked for (0 when it returned normally).
public func run(_ arguments: [String]) throws -> Int32 {
    var command = try Flexsched.parseAsRoot(arguments)
    do {
        try command.run()
        return 0
    } catch let exit as ExitCode {
        return exit.rawValue
    }
}
#endif
