import Foundation
import ScenarioKit

private let scenariosFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scenarios")

/// A scenario of the repository's `Scenarios/` folder, loaded and validated as `solve` would.
func bundled(_ file: String) throws -> ValidatedScenario {
    try ScenarioLoader.load(path: scenariosFolder.appendingPathComponent(file).path)
}
