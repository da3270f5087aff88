import Foundation
import Hummingbird
import Reports

/// `POST /api/v1/runs/{run}/whatif` and its comparison, `GET /api/v1/runs/{run}/whatif`.
extension APIRoutes {
    func startWhatIf(_ request: Request, _ context: AppContext) async throws -> Response {
        let user = try context.requireAdmin()
        let baseline = try runID(context)
        let body = try await readUpload(request)
        struct StartWhatIf: Decodable {
            struct Change: Decodable { var name: String; var yaml: String }
            var changes: [Change]
            var timeLimit: Double?
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw ServiceError.badRequest("send a JSON object such as {\"changes\": [{\"name\": \"kim-away\", \"yaml\": \"teachers-unavailable: {kim: [tue]}\"}], \"timeLimit\": 8}")
        }
        if let unknown = object.keys.first(where: { $0 != "changes" && $0 != "timeLimit" }) {
            throw ServiceError.badRequest("unknown key \(unknown); changes and timeLimit are read")
        }
        guard let start = try? JSONDecoder().decode(StartWhatIf.self, from: Data(body.utf8)) else {
            throw ServiceError.badRequest("changes is a list of {\"name\": text, \"yaml\": change file text}; timeLimit a number of seconds")
        }
        let runs = try await whatIf.start(baselineRunID: baseline, changes: start.changes.map { WhatIfChange(name: $0.name, yaml: $0.yaml) },
                                            timeLimit: start.timeLimit ?? 8, by: user)
        var response = Self.json(["baselineRun": baseline, "runs": runs.map { ["run": $0.id!, "change": $0.changeName ?? ""] }], status: .accepted)
        response.headers[.location] = "/api/v1/runs/\(baseline)/whatif"
        return response
    }

    func whatIfComparison(_ context: AppContext) async throws -> Response {
        try context.requireUser()
        let comparison = try await whatIf.comparison(baselineRunID: try runID(context))
        return Self.json([
            "baselineRun": comparison.baseline.run.id!, "baselineUnmetSessions": comparison.baselineUnmetSessions,
            "variants": comparison.variants.map(Self.variantJSON),
        ])
    }

    /// A teacher or student whose week changes: the sessions they lose and gain.
    static func personJSON(_ person: TimetableDiff.PersonChange) -> [String: Any] {
        ["role": person.role, "id": person.id, "name": person.name, "before": person.before, "after": person.after]
    }

    static func variantJSON(_ variant: WhatIfVariant) -> [String: Any] {
        var entry: [String: Any] = ["run": variant.view.run.id!, "change": variant.view.run.changeName ?? "", "state": variant.view.run.state.rawValue]
        entry["unmetSessions"] = variant.unmetSessions ?? NSNull()
        entry["objective"] = variant.objective ?? NSNull()
        entry["headline"] = variant.headline ?? variant.view.run.summary ?? NSNull()
        if let diff = variant.diff {
            entry["sessions"] = Dictionary(uniqueKeysWithValues: TimetableDiff.Kind.allCases.map { ($0.rawValue, diff.count($0)) })
            entry["peopleAffected"] = diff.peopleToNotify.map(personJSON)
        } else {
            entry["sessions"] = NSNull()
            entry["peopleAffected"] = NSNull()
        }
        return entry
    }
}

/// `POST /api/v1/runs/{run}/explain` queues explain's trials (admins only) and answers with the
/// explanation to follow at `GET /api/v1/explanations/{id}`.
extension APIRoutes {
    func startExplain(_ context: AppContext) async throws -> Response {
        _ = try context.requireAdmin()
        let explanation = try await explain.start(runID: try runID(context))
        var response = Self.json(Self.explanationJSON(explanation), status: .accepted)
        response.headers[.location] = "/api/v1/explanations/\(explanation.id)"
        return response
    }

    func showExplanation(_ context: AppContext) throws -> Response {
        try context.requireUser()
        guard let id = context.parameters.get("id", as: Int64.self) else { throw ServiceError.notFound("no such explanation") }
        return Self.json(Self.explanationJSON(try explain.explanation(id)))
    }

    static func explanationJSON(_ explanation: Explanation) -> [String: Any] {
        var entry: [String: Any] = ["id": explanation.id, "run": explanation.runID, "state": explanation.state.rawValue, "unmet": explanation.unmet]
        entry["problem"] = explanation.problem ?? NSNull()
        entry["tried"] = explanation.advice?.tried ?? NSNull()
        entry["suggestions"] = explanation.advice.map { advice in
            advice.suggestions.map { ["change": $0.change, "sessionsRecovered": $0.sessionsRecovered, "unmetAfter": $0.unmetAfter] as [String: Any] }
        } ?? NSNull()
        return entry
    }
}
