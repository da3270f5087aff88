import Foundation
import Hummingbird

/// `POST /api/v1/runs/{run}/whatif` and its comparison, `GET /api/v1/runs/{run}/whatif`.
extension APIRoutes {
    func startWhatIf(_ request: Request, _ context: AppContext) async throws -> Response {
        let user = try context.caller()
        let baseline = try runID(context)
        let body = try await readUpload(request)
        let start = try decodeRequest(StartWhatIfRequest.self, from: Data(body.utf8), example: StartWhatIfRequest.example)
        let runs = try await whatIf.start(baselineRunID: baseline, changes: start.changes.map { WhatIfChange(name: $0.name, yaml: $0.yaml) },
                                          timeLimit: start.timeLimit ?? 8, by: user)
        var response = try Self.json(WhatIfStartedBody(baselineRun: baseline, runs: runs.map { .init(run: $0.id!, change: $0.changeName ?? "") }),
                                     status: .accepted)
        response.headers[.location] = "/api/v1/runs/\(baseline)/whatif"
        return response
    }

    func whatIfComparison(_ context: AppContext) async throws -> Response {
        let comparison = try await whatIf.comparison(baselineRunID: try runID(context), in: try context.scope())
        return try Self.json(ComparisonBody(baselineRun: comparison.baseline.run.id!, baselineUnmetSessions: comparison.baselineUnmetSessions,
                                            variants: comparison.variants.map(ComparisonBody.Variant.init)))
    }
}

/// `POST /api/v1/runs/{run}/explain` queues explain's trials (admins only) and answers with the
/// explanation to follow at `GET /api/v1/explanations/{id}`.
extension APIRoutes {
    func startExplain(_ context: AppContext) async throws -> Response {
        let explanation = try await explain.start(runID: try runID(context), in: try context.scope())
        var response = try Self.json(ExplanationBody(explanation: explanation), status: .accepted)
        response.headers[.location] = "/api/v1/explanations/\(explanation.id)"
        return response
    }

    func showExplanation(_ context: AppContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw ServiceError.notFound("no such explanation") }
        return try Self.json(ExplanationBody(explanation: try await explain.explanation(id, in: try context.scope())))
    }
}
