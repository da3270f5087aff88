import Foundation
import Hummingbird
import Reports
import ScenarioKit
import Store

/// `/runs/{run}/whatif`: variants of a finished run, built from change files or from a form for the
/// common changes, and their comparison with the run.
struct WhatIfPages {
    let pages: Pages
    let runs: RunService
    let whatIf: WhatIfService
    let maxUploadBytes: Int

    func add(to session: RouterGroup<AppContext>) {
        let admin = AccessGroups(session, refusal: .signInPage).admin
        admin.get("runs/:run/whatif") { _, context in try await page(context, baseline: try Pages.pathID("run", context)) }
        admin.post("runs/:run/whatif") { request, context in
            let user = try context.caller()
            let baseline = try Pages.pathID("run", context)
            let fields = try await pages.form(request, context, limit: maxUploadBytes)
            // Names for the variants; an unknown run is reported by `start` below.
            var named: Scenario?
            do throws(ServiceError) { named = try runs.solvedScenario(try await runs.run(baseline, in: user.scope)).scenario } catch { named = nil }
            let changes = Self.changes(from: fields, in: named)
            guard !changes.isEmpty else {
                return try await page(context, baseline: baseline, fields: fields, problems: ["Give at least one change: paste a change file or fill in one of the forms."],
                                status: .unprocessableContent)
            }
            do throws(ServiceError) {
                _ = try await whatIf.start(baselineRunID: baseline, changes: changes, timeLimit: Double(fields["timeLimit"] ?? "") ?? 8, by: user)
                return Pages.redirect("/runs/\(baseline)/whatif")
            } catch {
                if case .failure = error { return try await answer(context) { () throws(ServiceError) in throw error } }
                guard case .invalid(let problems) = error else {
                    return try await page(context, baseline: baseline, fields: fields, problems: [error.description], status: .unprocessableContent)
                }
                return try await page(context, baseline: baseline, fields: fields, problems: problems.map(\.description), submitted: changes,
                                status: .unprocessableContent)
            }
        }
    }

    /// The changes a submitted form asks for, one variant each: the uploaded change file, the pasted one,
    /// then one per filled-in common change. The common ones are written as change-file text so that
    /// they are read, and their mistakes reported with lines, exactly like an uploaded file.
    /// The built changes are named for people ("Mr. Garcia away Monday 08:30"), from `scenario`'s
    /// names and clock times where it knows the id.
    static func changes(from fields: [String: String], in scenario: Scenario? = nil) -> [WhatIfChange] {
        func field(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func name(_ id: String, _ of: (Scenario) -> [(id: String, name: String)]) -> String {
            scenario.flatMap { of($0).first { $0.id == id }?.name }.flatMap { $0.isEmpty ? nil : $0 } ?? id
        }
        // Names stay within the 80 characters a variant's name may have.
        func short(_ text: String) -> String { text.count <= 80 ? text : String(text.prefix(79)) + "…" }
        func when(_ text: String) -> String {
            text.split(whereSeparator: { $0 == "," || $0 == " " }).map { ref in
                let parts = ref.split(separator: ".", maxSplits: 1).map(String.init)
                guard let day = Weekday(rawValue: parts[0]) else { return String(ref) }
                guard parts.count == 2 else { return day.longName }
                let block = scenario?.blocks.first { $0.id == parts[1] }
                return "\(day.longName) \(block.map { "\($0.start)" } ?? parts[1])"
            }.joined(separator: ", ")
        }
        /// A YAML double-quoted scalar (JSON's string syntax is one), so no value can break the structure.
        func quoted(_ text: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
            return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
        }
        func slots(_ text: String) -> String {
            "[" + text.split(whereSeparator: { $0 == "," || $0 == " " }).map { quoted(String($0)) }.joined(separator: ", ") + "]"
        }
        var changes: [WhatIfChange] = []
        let uploaded = fields["changeFile"] ?? ""
        if !uploaded.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let file = (fields["changeFile.filename"] ?? "").split(separator: "/").last.map(String.init) ?? ""
            let name = file.replacingOccurrences(of: ".yaml", with: "").replacingOccurrences(of: ".yml", with: "")
            changes.append(WhatIfChange(name: name.isEmpty ? "uploaded" : name, yaml: uploaded))
        }
        let pasted = fields["changeYAML"] ?? ""
        if !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            changes.append(WhatIfChange(name: field("changeName").isEmpty ? "change" : field("changeName"), yaml: pasted))
        }
        let away = field("awayTeacher")
        if !away.isEmpty {
            let awayWhen = field("awaySlots").isEmpty ? "" : " \(when(field("awaySlots")))"
            changes.append(WhatIfChange(name: short("\(name(away) { $0.teachers.map { ($0.id, $0.name) } }) away\(awayWhen)"), yaml: "teachers-unavailable: {\(quoted(away)): \(slots(field("awaySlots")))}\n"))
        }
        let leaving = field("leavingTeacher")
        if !leaving.isEmpty {
            changes.append(WhatIfChange(name: short("\(name(leaving) { $0.teachers.map { ($0.id, $0.name) } }) leaves"), yaml: "teachers-leave: [\(quoted(leaving))]\n"))
        }
        let room = field("closedRoom")
        if !room.isEmpty {
            let closedSlots = field("closedSlots").isEmpty ? "all" : slots(field("closedSlots"))
            let closed = field("closedSlots").isEmpty ? "" : " \(when(field("closedSlots")))"
            changes.append(WhatIfChange(name: short("\(name(room) { $0.rooms.map { ($0.id, $0.name) } }) closed\(closed)"), yaml: "rooms-close: {\(quoted(room)): \(closedSlots)}\n"))
        }
        let student = field("needStudent")
        if !student.isEmpty {
            let sessions = field("needSessions")
            let count = Int(sessions).map(String.init) ?? quoted(sessions)
            let subject = field("needSubject"), modality = field("needModality")
            let who = name(student) { $0.students.map { ($0.id, $0.name) } }
            changes.append(WhatIfChange(name: short("\(who): \(idAsWords(subject)) \(idAsWords(modality)) \(sessions)"), yaml: """
                needs-change:
                  - {student: \(quoted(student)), subject: \(quoted(subject)), modality: \(quoted(modality)), sessions: \(count)}

                """))
        }
        return changes
    }

    func page(_ context: AppContext, baseline: Int64, fields: [String: String] = [:], problems: [String] = [], submitted: [WhatIfChange] = [],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let comparison: WhatIfComparison, scenario: ValidatedScenario, scope = try context.scope()
        do throws(ServiceError) {
            comparison = try await whatIf.comparison(baselineRunID: baseline, in: scope)
            scenario = try runs.solvedScenario(comparison.baseline)
        } catch {
            if case .notFound = error { return try await answer(context) { () throws(ServiceError) in throw error } }
            if case .failure = error { return try await answer(context) { () throws(ServiceError) in throw error } }
            return pages.render("whatif", ["title": "What-if", "unavailable": error.description], context: context, status: .conflict)
        }
        let s = scenario.scenario
        let base = comparison.baseline
        let kinds = TimetableDiff.Kind.allCases
        let variants: [[String: Any]] = comparison.variants.map { variant in
            var row: [String: Any] = ["run": variant.view.run.id!, "change": variant.view.run.changeName ?? "", "state": variant.view.run.state.rawValue,
                                      "unmet": variant.unmetSessions.map(String.init) ?? "–",
                                      "objective": variant.objective.map { String(format: "%.1f", $0) } ?? "–",
                                      "headline": variant.headline ?? variant.view.run.summary ?? ""]
            if let diff = variant.diff {
                row["counts"] = kinds.map { ["n": diff.count($0)] }
                let people = variant.notices
                row["peopleCount"] = people.count
                row["people"] = people.map { ["role": $0.role, "name": $0.name, "lines": $0.lines] }
                row["hasPeople"] = !people.isEmpty
            } else {
                row["counts"] = kinds.map { _ in ["n": "–"] }
                row["peopleCount"] = "–"
            }
            return row
        }
        func options(_ items: [(id: String, name: String)]) -> [[String: String]] {
            RunPages.byName(items).map { ["id": $0["id"]!, "label": $0["name"] == $0["id"] ? $0["id"]! : "\($0["name"]!) (\($0["id"]!))"] }
        }
        return pages.render("whatif", [
            "title": "What-if: run \(baseline)", "baselineRun": baseline,
            "baseline": ["run": baseline, "scenario": base.scenario.name, "scenarioID": base.scenario.id!, "version": base.version.version,
                         "summary": base.run.summary ?? "", "unmet": comparison.baselineUnmetSessions],
            "kinds": kinds.map(\.rawValue), "variants": variants, "hasVariants": !variants.isEmpty,
            "working": comparison.variants.contains { !$0.view.run.state.isFinished },
            "teachers": options(s.teachers.map { ($0.id, $0.name) }), "rooms": options(s.rooms.map { ($0.id, $0.name) }),
            "students": options(s.students.map { ($0.id, $0.name) }),
            "subjects": Array(Set(s.teachers.flatMap(\.subjects))).sorted(), "modalities": s.modalities.map(\.id),
            "problems": problems, "hasProblems": !problems.isEmpty,
            "submitted": submitted.map { ["name": $0.name, "yaml": $0.yaml] },
            "changeName": fields["changeName"] ?? "", "changeYAML": fields["changeYAML"] ?? "", "timeLimit": fields["timeLimit"] ?? "8",
        ], context: context, status: status)
    }
}
