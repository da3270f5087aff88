/// A scenario that validation accepted: ids unique and well-formed, every reference defined, blocks
/// that do not overlap, numbers in range. Only `Scenario.validated` makes one, so solving, diagnosis
/// and export never see data that would trap them or reach GLPK as an invalid call.
@dynamicMemberLookup
public struct ValidatedScenario: Sendable, Hashable {
    public let scenario: Scenario

    fileprivate init(_ scenario: Scenario) { self.scenario = scenario }

    public subscript<T>(dynamicMember keyPath: KeyPath<Scenario, T>) -> T { scenario[keyPath: keyPath] }

    public func modality(_ id: String) -> Modality? { scenario.modality(id) }
}

extension Scenario {
    /// Throws every meaning-level problem at once. `requireServiceable: false` accepts needs that no
    /// teacher or room can serve (they are reported as unmet instead): a what-if in which the only math
    /// teacher leaves is a question, not an error.
    public func validated(file: String = "<scenario>", lines: [String: Int] = [:],
                          requireServiceable: Bool = true) throws(InputError) -> ValidatedScenario {
        let problems = validationProblems(file: file, lines: lines, requireServiceable: requireServiceable)
        if !problems.isEmpty { throw InputError(problems) }
        return ValidatedScenario(self)
    }
}
