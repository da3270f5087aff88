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
