import FlexschedTestSupport
import Foundation
import Testing

// The admin's path in a real browser: headless Chromium driven by Python Selenium (Debian chromium,
// chromium-driver, python3-selenium; the calendar is read with python3-icalendar) against the built
// `flexsched` binary. `.ci/run` installs them; outside CI a missing tool disables the test, with the
// reason shown. Screenshots land in `.build/test-artifacts/`.

private let testFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let haveSelenium = inCI || (FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    && (try? runProcess("/usr/bin/python3", ["-c", "import selenium, icalendar"]))?.status == 0)
private let artifacts = repositoryRoot.appendingPathComponent(".build/test-artifacts").path

/// A fresh data folder with one admin, made by `flexsched users add`; the folder goes with the test.
private struct BrowserRun {
    let flexsched: String
    let data: String
    let password: String
    let token: String

    init(_ name: String) throws {
        flexsched = try #require(builtFlexsched(), "no flexsched executable beside the tests; build it first (swift build)")
        data = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-\(name)-\(UUID().uuidString)").path
        let added = try runProcess(flexsched, ["users", "add", "ada", "--admin", "--data", data])
        #expect(added.status == 0, "users add: \(added.stderr)")
        func printed(_ label: String) throws -> String {
            let line = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix(label) }, "no \(label) in \(added.stdout)")
            return line.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
        password = try printed("password:")
        token = try printed("API token:")
    }

    /// Runs `Browser/SCRIPT` with these arguments and checks it ends "ok:" with its screenshots saved.
    func script(_ script: String, _ arguments: [String], screenshots: [String]) throws {
        defer { try? FileManager.default.removeItem(atPath: data) }
        for screenshot in screenshots { try? FileManager.default.removeItem(atPath: "\(artifacts)/\(screenshot)") }
        let output = try runProcess("/usr/bin/python3", [testFolder.appendingPathComponent("Browser/\(script)").path] + arguments)
        #expect(output.status == 0, "\(script): \(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.hasPrefix("ok:"))
        for screenshot in screenshots {
            #expect(FileManager.default.fileExists(atPath: "\(artifacts)/\(screenshot)"), "\(screenshot)")
        }
    }
}

@Suite struct BrowserTests {
    static let example = repositoryRoot.appendingPathComponent("Scenarios/example.yaml").path

    @Test(.enabled(if: haveSelenium, "chromium-driver or python3-selenium not found (apt-get install chromium chromium-driver python3-selenium); runs always in CI"),
          .timeLimit(.minutes(10)))
    func anAdminSolvesPublishesAndATeacherSubscribesInChromium() throws {
        let run = try BrowserRun("browser")
        try run.script("admin_flow.py", [run.flexsched, run.data, run.password, run.token, Self.example, artifacts],
                       screenshots: ["teacher-grid.png", "personal-page.png"])
    }

    /// Issue 26's week: import the CSV sheets on the import page, publish, re-solve unchanged
    /// (nothing changes), a teacher away (only her sessions change, published after confirming),
    /// and her week on a phone.
    @Test(.enabled(if: haveSelenium, "chromium-driver or python3-selenium not found (apt-get install chromium chromium-driver python3-selenium); runs always in CI"),
          .timeLimit(.minutes(10)))
    func anAdminsWeekFromImportToATeacherAwayInChromium() throws {
        let run = try BrowserRun("week")
        let sheets = repositoryRoot.appendingPathComponent("Scenarios/csv-template").path
        try run.script("week_cycle.py", [run.flexsched, run.data, run.password, run.token, sheets, artifacts],
                       screenshots: ["week-cycle-phone.png"])
    }

    /// A teacher opens her link on her phone far more often than on a laptop.
    @Test(.enabled(if: haveSelenium, "chromium-driver or python3-selenium not found (apt-get install chromium chromium-driver python3-selenium); runs always in CI"),
          .timeLimit(.minutes(10)))
    func aTeachersWeekReadsOnAPhone() throws {
        let run = try BrowserRun("phone")
        try run.script("phone_week.py", [run.flexsched, run.data, run.token, Self.example, artifacts], screenshots: ["phone-week.png"])
    }
}
