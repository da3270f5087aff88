/// A scenario that validation accepted: ids unique and well-formed, every reference defined, blocks
/// that do not overlap, numbers in range. Only `Scenario.validated` makes one, so solving, diagnosis
/// and export never see data that would trap them or reach GLPK as an invalid call.
@dynamicMemberLookup
public struct ValidatedScenario: Sendable, Hashable {
    public let scenario: Scenario
    /// Where it was read from, so that warnings can point into the file.
    private let file: String
    private let lines: [String: Int]

    fileprivate init(_ scenario: Scenario, file: String, lines: [String: Int]) {
        self.scenario = scenario; self.file = file; self.lines = lines
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<Scenario, T>) -> T { scenario[keyPath: keyPath] }

    public func modality(_ id: String) -> Modality? { scenario.modality(id) }

    /// Likely typos that are not errors (see `Scenario.warnings`), with the lines of the file it was read from.
    public var warnings: [InputProblem] { scenario.warnings(file: file, lines: lines) }

    // The same week read from two files is the same scenario.
    public static func == (lhs: ValidatedScenario, rhs: ValidatedScenario) -> Bool { lhs.scenario == rhs.scenario }
    public func hash(into hasher: inout Hasher) { hasher.combine(scenario) }
}

extension Scenario {
    /// Throws every meaning-level problem at once. `requireServiceable: false` accepts needs that no
    /// teacher or room can serve (they are reported as unmet instead): a what-if in which the only math
    /// teacher leaves is a question, not an error.
    public func validated(file: String = "<scenario>", lines: [String: Int] = [:],
                          requireServiceable: Bool = true) throws(InputError) -> ValidatedScenario {
        let problems = validationProblems(file: file, lines: lines, requireServiceable: requireServiceable)
        if !problems.isEmpty { throw InputError(problems.sortedByLine()) }
        return ValidatedScenario(self, file: file, lines: lines)
    }
}
