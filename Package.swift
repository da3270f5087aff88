// swift-tools-version: 6.1
// flexsched: weekly small-group and tutoring timetables for personalized-learning schools.
// GPL-3.0-or-later (it links GLPK, which is GPL-3).
import PackageDescription

let package = Package(
    name: "flexsched",
    // macOS 15 for Synchronization's Mutex (results handed between threads without unchecked Sendable).
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flexsched", targets: ["flexsched"]),
        .library(name: "FlexschedKit", targets: ["Rules", "ScenarioKit", "TimetableFormat", "TimetableChecker", "WeekIndex", "Scheduler", "Diagnosis", "Advisor", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Reads and writes every CSV file (OneRoster, spreadsheets): RFC 4180 quoting, any delimiter, streaming.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        // The web app: the embedded store, the HTTP server, password hashing, page templates, token digests.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // The request parts Hummingbird's HTTP/1 pipeline hands on, for the request deadlines.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        // The run queue is a service of the server's service group: it stops with the server, gracefully.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // The pages' file upload (multipart/form-data).
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        // A district's store: PostgreSQL for several servers and solve workers (row locks, LISTEN/NOTIFY).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // GLPK's C API (Debian: libglpk-dev). Only GLPKBackend may import it.
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK", providers: [.apt(["libglpk-dev"])]),
        // SplitMix64 and the shuffles built on it: one seed, one result, on every toolchain.
        .target(name: "SeededRandom"),
        // The rule catalogue: every hard rule and objective term, with id, name, intent and weight.
        .target(name: "Rules"),
        // The setjmp point that turns GLPK's fatal errors into a return code (Swift cannot setjmp).
        // Only GLPKBackend may import it.
        .target(name: "CGLPKGuard", dependencies: ["CGLPK"], linkerSettings: [.linkedLibrary("glpk")]),
        // Scenario file -> validated scenario.
        .target(name: "ScenarioKit", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Timetable JSON v1: the format every command reads and writes.
        .target(name: "TimetableFormat", dependencies: ["ScenarioKit"]),
        // Independent verification of rules R1-R6; shares no code with the model builder.
        .target(name: "TimetableChecker", dependencies: ["Rules", "ScenarioKit", "TimetableFormat"]),
        // Solver-neutral integer program and solve options.
        .target(name: "IntegerProgram"),
        // The one module that talks to GLPK.
        .target(name: "GLPKBackend", dependencies: ["IntegerProgram", "CGLPK", "CGLPKGuard"]),
        // Model builder, constructive start and GLPK-driven improvement.
        // The week index: one scenario as arrays of indices, below both the search and the proofs.
        .target(name: "WeekIndex", dependencies: ["ScenarioKit"]),

        .target(name: "Scheduler", dependencies: ["WeekIndex", "Diagnosis", "Rules", "SeededRandom", "ScenarioKit", "TimetableFormat", "IntegerProgram", "GLPKBackend"]),
        // Pre-solve capacity arguments (counting and flow bounds) that prove a need cannot be fully met.
        .target(name: "Diagnosis", dependencies: ["Rules", "ScenarioKit", "WeekIndex"]),
        // After solving: unmet reasons and suggested changes, every trial re-solve verified by the checker;
        // and `scheduleWeek`, the solve-explain-check service that the CLI (and the web app) call.
        .target(name: "Advisor", dependencies: ["WeekIndex", "Rules", "ScenarioKit", "TimetableFormat", "TimetableChecker", "Scheduler", "Diagnosis"]),
        // Human-readable summaries and timetable grids.
        .target(name: "Reports", dependencies: ["Rules", "ScenarioKit", "TimetableFormat", "TimetableChecker"]),
        // iCalendar (RFC 5545) export: per teacher, student and room, recurring over the term.
        .target(name: "CalendarExport", dependencies: ["ScenarioKit", "TimetableFormat", "TimetableChecker"]),
        // Spreadsheet and SIS export: sessions.csv, unmet.csv, and OneRoster 1.1 classes and enrollments.
        .target(name: "CSVExport", dependencies: ["ScenarioKit", "TimetableFormat", "TimetableChecker", .product(name: "CSV", package: "CSV.swift")]),
        // A school's own data -> scenario: OneRoster CSV from a student information system, or simple CSV sheets.
        // Also FET files: `import fet`, and `export fet`, which locks a checked timetable into the original file
        // (hence the timetable types) and can have fet-cl verify it.
        .target(name: "RosterImport", dependencies: ["ScenarioKit", "TimetableFormat", "TimetableChecker", .product(name: "CSV", package: "CSV.swift")]),
        // Random scenarios, optionally with a planted timetable (tests, benchmarks, bundled scenarios).
        .target(name: "ScenarioGenerator", dependencies: ["SeededRandom", "ScenarioKit", "TimetableFormat"]),
        // The web app's state: users, scenario versions, runs, published timetables and feed tokens (SQLite).
        .target(name: "Store", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // The same repositories on PostgreSQL (`--database postgres://...`), with the same migrations.
        .target(name: "PostgresStore", dependencies: [
            "Store",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `flexsched serve`: pages, the JSON API and calendar feeds over the same services; the run queue.
        .target(name: "WebApp", dependencies: [
            "Advisor", "CalendarExport", "CSVExport", "Diagnosis", "Reports", "RosterImport", "Rules", "ScenarioKit", "Scheduler", "Store", "TimetableChecker",
            "TimetableFormat",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], resources: [.copy("Templates")]),
        .executableTarget(name: "flexsched", dependencies: [
            "Advisor", "RosterImport", "Rules", "ScenarioKit", "TimetableFormat", "TimetableChecker", "Scheduler", "Reports", "CalendarExport",
            "CSVExport", "Diagnosis", "Store", "PostgresStore", "WebApp",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "flexsched-bench", dependencies: [
            "Advisor", "Rules", "ScenarioKit", "TimetableFormat", "TimetableChecker", "Scheduler", "ScenarioGenerator", "Reports",
        ], path: "Benchmarks/Harness"),
        // What several test targets share: running the command line in-process.
        .target(name: "FlexschedTestSupport", dependencies: [
            "flexsched", "ScenarioKit", "TimetableChecker", "TimetableFormat", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "ScenarioKitTests", dependencies: ["ScenarioKit", "TimetableFormat", "TimetableChecker"], exclude: ["Corpus"]),
        .testTarget(name: "TimetableCheckerTests", dependencies: ["Rules", "ScenarioKit", "TimetableFormat", "TimetableChecker", "Scheduler"]),
        .testTarget(name: "CalendarExportTests", dependencies: ["ScenarioKit", "TimetableFormat", "TimetableChecker", "CalendarExport", "flexsched", "FlexschedTestSupport"],
                    exclude: ["Conformance"]),
        .testTarget(name: "CSVExportTests", dependencies: [
            "CSVExport", "flexsched", "FlexschedTestSupport", "ScenarioGenerator", "ScenarioKit", "TimetableFormat", "TimetableChecker",
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        .testTarget(name: "DiagnosisTests", dependencies: ["WeekIndex", "Rules", "ScenarioKit", "TimetableFormat", "Diagnosis", "Scheduler", "ScenarioGenerator"]),
        .testTarget(name: "RosterImportTests", dependencies: ["RosterImport", "ScenarioKit", "SeededRandom"], exclude: ["Corpus"]),
        // `flexsched import fet`: small hand-written FET files, and FET's own examples when fet-data is installed.
        .testTarget(name: "FETImportTests", dependencies: ["RosterImport", "ScenarioKit", "flexsched", "FlexschedTestSupport"]),
        // `flexsched export fet`: import, solve, lock into the original file, and have fet-cl (FET's own generator) verify it.
        .testTarget(name: "FETExportTests", dependencies: ["RosterImport", "ScenarioKit", "TimetableFormat", "TimetableChecker", "flexsched", "FlexschedTestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["ScenarioKit", "TimetableFormat", "TimetableChecker", "Reports", "FlexschedTestSupport"], exclude: ["HTML"]),
        .testTarget(name: "ScenarioGeneratorTests", dependencies: ["SeededRandom", "ScenarioKit", "TimetableFormat", "TimetableChecker", "ScenarioGenerator"]),
        .testTarget(name: "FlexschedCLITests", dependencies: [
            "flexsched", "FlexschedTestSupport", "Advisor", "RosterImport", "Rules", "Scheduler", "ScenarioKit", "TimetableFormat", "TimetableChecker",
        ]),
        // Mutated scenarios, change files and timetables: only clear errors or checked timetables.
        .testTarget(name: "FuzzTests", dependencies: ["Advisor", "SeededRandom", "ScenarioKit", "TimetableFormat", "TimetableChecker", "Scheduler", "ScenarioGenerator"]),
        .testTarget(name: "WebAppTests", dependencies: [
            "WebApp", "RosterImport", "Store", "ScenarioKit", "TimetableFormat", "FlexschedTestSupport", "ServerTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], exclude: ["Browser"]),
        // Servers for tests: a PostgreSQL of a test's own (Debian's packages), free loopback ports.
        .target(name: "ServerTestSupport", path: "Tests/ServerTestSupport"),
        // One suite of store tests, run against SQLite and against PostgreSQL; the migrations and the school scoping.
        .testTarget(name: "StoreTests", dependencies: [
            "Store", "PostgresStore", "ServerTestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "GLPKBackendTests", dependencies: ["IntegerProgram", "GLPKBackend"]),
        .testTarget(name: "SchedulerTests", dependencies: [
            "Advisor", "Rules", "ScenarioKit", "TimetableFormat", "TimetableChecker", "IntegerProgram", "GLPKBackend", "Scheduler",
            "ScenarioGenerator", "WeekIndex", "SeededRandom", "FlexschedTestSupport",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
