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

@Suite struct BrowserTests {
    @Test(.enabled(if: haveSelenium, "chromium-driver or python3-selenium not found (apt-get install chromium chromium-driver python3-selenium); runs always in CI"),
          .timeLimit(.minutes(3)))
    func anAdminSolvesPublishesAndATeacherSubscribesInChromium() throws {
        let flexsched = try #require(builtFlexsched(), "no flexsched executable beside the tests; build it first (swift build)")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-browser-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let added = try runProcess(flexsched, ["users", "add", "ada", "--admin", "--data", data])
        #expect(added.status == 0, "users add: \(added.stderr)")
        func printed(_ label: String) throws -> String {
            let line = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix(label) }, "no \(label) in \(added.stdout)")
            return line.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
        let artifacts = repositoryRoot.appendingPathComponent(".build/test-artifacts").path
        for screenshot in ["teacher-grid.png", "personal-page.png"] { try? FileManager.default.removeItem(atPath: "\(artifacts)/\(screenshot)") }
        let output = try runProcess("/usr/bin/python3", [
            testFolder.appendingPathComponent("Browser/admin_flow.py").path, flexsched, data, try printed("password:"), try printed("API token:"),
            repositoryRoot.appendingPathComponent("Scenarios/example.yaml").path, artifacts,
        ])
        #expect(output.status == 0, "admin_flow.py: \(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.hasPrefix("ok:"))
        for screenshot in ["teacher-grid.png", "personal-page.png"] {
            #expect(FileManager.default.fileExists(atPath: "\(artifacts)/\(screenshot)"), "\(screenshot)")
        }
    }
}
