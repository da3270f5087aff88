import Foundation

/// What a program printed and how it exited.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    // stderr goes to a file so that neither stream can fill up and block the child.
    let errPath = NSTemporaryDirectory() + "flexsched-stderr-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessOutput(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                         stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// Looks a program up on PATH (and in the usual system folders, which a test runner's PATH may lack).
public func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin"] {
        let candidate = folder + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// In CI (`CI` set) tests that read output with independent tools (calendar clients, an HTML parser,
/// a browser) always run, so a missing tool fails them instead of hiding them.
public let inCI = ProcessInfo.processInfo.environment["CI"] != nil

/// The `flexsched` that `swift build` / `swift test` linked next to the test bundle.
public func builtFlexsched() -> String? {
    let folders = Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }.map { $0.deletingLastPathComponent() }
        + [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.executableURL?.deletingLastPathComponent(),
           URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug")].compactMap { $0 }
    let candidates = folders.map { $0.appendingPathComponent("flexsched").standardizedFileURL.path }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}
