import ArgumentParser
import Foundation

/// `flexsched --version`.
let flexschedVersion = "0.3.0"

@main
enum Entry {
    static func main() {
        exit(runCommandLine(Array(CommandLine.arguments.dropFirst())))
    }
}

/// Parses and runs a command line and returns its exit status, after printing help, the version
/// or what went wrong.
func runCommandLine(_ arguments: [String]) -> Int32 {
    do {
        var command = try Flexsched.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch {
        let status = exitStatus(for: error)
        let message = Flexsched.fullMessage(for: error)
        if !message.isEmpty {
            (status == 0 ? FileHandle.standardOutput : FileHandle.standardError).write(Data((message + "\n").utf8))
        }
        return status
    }
}

/// 0 for help, --version and the completion script; 2 for every argument error, as for any other bad
/// input (swift-argument-parser itself would use 64, EX_USAGE); otherwise what the command asked
/// for, and 1 for any other failure.
func exitStatus(for error: any Error) -> Int32 {
    let code = Flexsched.exitCode(for: error)
    return code == .validationFailure ? 2 : code.rawValue
}

/// Readers of numeric option values. The options that use them read their value with
/// `parsing: .unconditional`: otherwise the parser takes `-3` in `--time-limit -3` for an option and
/// says "Missing value", and a negative seed would fail as "invalid" without saying what is valid.
enum NumericValue {
    static func positiveSeconds(_ text: String) throws -> Double {
        guard let value = Double(text), value > 0, value.isFinite else { throw ValidationError("must be a positive number of seconds") }
        return value
    }

    static func fraction(_ text: String) throws -> Double {
        guard let value = Double(text), (0...1).contains(value) else { throw ValidationError("must be a fraction from 0 to 1") }
        return value
    }

    static func count(_ text: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw ValidationError("must be a whole number, 0 or more") }
        return value
    }

    static func positiveCount(_ text: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw ValidationError("must be a whole number, 1 or more") }
        return value
    }

    static func seed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else { throw ValidationError("must be a whole number from 0 to \(UInt64.max)") }
        return value
    }
}
