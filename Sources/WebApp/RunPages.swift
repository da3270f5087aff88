import Advisor
import CalendarExport
import CSVExport
import Foundation
import Rules
import Hummingbird
import NIOCore
import Reports
import ScenarioKit
import Store
import TimetableChecker
import TimetableFormat

/// A scenario's page (versions, "start a solve", run history) and a run's pages: live progress,
/// cancel, the checked timetable's grids, downloads, explain's suggestions and publishing.
/// Every timetable shown comes from `RunService.checkedTimetable`.
struct RunPages {
    let pages: Pages
    let scenarios: ScenarioService
    let runs: RunService
    let publishing: PublishingService
    let explain: ExplainService

    func add(to session: RouterGroup<AppContext>) {
        let group = AccessGroups(session, refusal: .signInPage)
        group.signedIn.get("scenarios/:id") { request, context in
            try await page(request, context) { user in try await scenarioPage(try number(context, "id"), user.scope, context) }
        }
        group.admin.post("scenarios/:id/runs") { request, context in
            try await change(request, context) { user, fields in
                guard let limit = Double(fields["timeLimit"] ?? "") else { throw ServiceError.badRequest("the time limit is a number of seconds") }
                let run = try await runs.start(scenarioID: try number(context, "id"), timeLimit: limit, fromScratch: fields["fromScratch"] == "yes", by: user)
                return Pages.redirect("/runs/\(run.id!)")
            }
        }
        group.signedIn.get("runs/:run") { request, context in
            try await page(request, context) { user in try await runPage(try number(context, "run"), user.scope, context) }
        }
        // The run page's live progress; without a session the browser's EventSource gets 401.
        AccessGroups(session, refusal: .status).signedIn.get("runs/:run/events") { _, context in
            let run = try number(context, "run")
            let scope = try context.scope()
            return APIRoutes.eventStream(try await answer(context) { () async throws(ServiceError) in try await runs.events(runID: run, in: scope) })
        }
        group.admin.post("runs/:run/cancel") { request, context in
            try await change(request, context) { user, _ in
                let id = try number(context, "run")
                try await runs.cancel(runID: id, in: user.scope)
                return Pages.redirect("/runs/\(id)")
            }
        }
        group.admin.post("runs/:run/publish") { request, context in
            try await change(request, context) { user, fields in
                try publishPage(try await publishing.publish(runID: try number(context, "run"), confirmed: fields["confirm"] == "yes", by: user), context)
            }
        }
        // Explain is a job of the run queue: the form queues it and its page follows it.
        group.admin.post("runs/:run/explain") { request, context in
            try await change(request, context) { user, _ in
                let explanation = try await explain.start(runID: try number(context, "run"), in: user.scope)
                return Pages.redirect("/explanations/\(explanation.id)")
            }
        }
        group.signedIn.get("explanations/:id") { request, context in
            try await page(request, context) { user in
                explanationPage(try await explain.explanation(try number(context, "id"), in: user.scope), context)
            }
        }
        // `/runs/7/teachers/lee` is her grid, `/runs/7/teachers/lee.ics` her calendar; `/runs/7/days/mon`
        // the school's Monday; `/runs/7/download/sessions.csv` a download.
        group.signedIn.get("runs/:run/:kind/:id") { request, context in
            try await page(request, context) { user in
                let run = try number(context, "run"), scope = user.scope
                let kind = try context.parameters.require("kind"), id = try context.parameters.require("id")
                if kind == "download" { return try await download(run, file: id, scope) }
                if kind == "days" { return try await dayPage(run, day: id, scope, context) }
                guard let owner = Self.owner(kind, id.hasSuffix(".ics") ? String(id.dropLast(4)) : id) else {
                    throw ServiceError.notFound("no page \(kind)/\(id)")
                }
                if id.hasSuffix(".ics") { return try await personalCalendar(run, owner, scope) }
                return try await gridPage(run, owner, scope, context)
            }
        }
    }

    // MARK: Guards

    /// A GET page; refusals become an error page.
    func page(_ request: Request, _ context: AppContext, _ body: (UserRecord) async throws -> Response) async throws -> Response {
        let user = try context.caller()
        do { return try await body(user) } catch let error as ServiceError { return try problemPage(error, context) }
    }

    /// A POST form: the session's CSRF token, then the change.
    func change(_ request: Request, _ context: AppContext, _ body: (UserRecord, [String: String]) async throws -> Response) async throws -> Response {
        let user = try context.caller()
        let fields = try await pages.form(request, context)
        do { return try await body(user, fields) } catch let error as ServiceError { return try problemPage(error, context) }
    }

    /// A refusal's page; a failure is the server's, logged with its cause and answered 500.
    func problemPage(_ error: ServiceError, _ context: AppContext) throws -> Response {
        if case .failure(let cause) = error {
            context.logger.error("\(cause)")
            throw HTTPError(.internalServerError, message: error.description)
        }
        let lines: [String] = if case .invalid(let problems) = error { problems.map(\.description) } else { [error.description] }
        return pages.render("problem", ["title": "Not done", "problems": lines], context: context, status: error.status)
    }

    func number(_ context: AppContext, _ name: String) throws -> Int64 {
        guard let id = context.parameters.get(name, as: Int64.self) else { throw ServiceError.notFound("no such page") }
        return id
    }

    static func owner(_ kind: String, _ id: String) -> WeekOwner? {
        switch kind {
        case "teachers": .teacher(id)
        case "students": .student(id)
        case "rooms": .room(id)
        case "classes": .schoolClass(id)
        default: nil
        }
    }

    // MARK: Scenario

    func scenarioPage(_ id: Int64, _ scope: SchoolScope, _ context: AppContext) async throws -> Response {
        let scenario = try await scenarios.scenario(id, in: scope)
        let versions = try await scenarios.versions(scenarioID: id, in: scope)
        let history = try await runs.list(scenarioID: id, in: scope)
        var values: [String: Any] = [
            "title": scenario.name, "id": id, "name": scenario.name,
            "versions": versions.map { view -> [String: Any] in
                let version = view.version
                // Written by this server at upload; unreadable ones are shown as none rather than losing the page.
                let warnings = (try? JSONDecoder().decode([String].self, from: Data(version.warnings.utf8))) ?? []
                return ["version": version.version, "by": view.uploadedBy, "when": Self.time(version.created),
                        "format": version.format, "warnings": warnings, "hasWarnings": !warnings.isEmpty]
            },
            "runs": history.map(runRow), "hasRuns": !history.isEmpty,
            "defaultTimeLimit": 60, "minTimeLimit": Int(RunService.timeLimits.lowerBound), "maxTimeLimit": Int(RunService.timeLimits.upperBound),
        ]
        values["liveRun"] = history.first(where: \.isLive)?.run.id
        return pages.render("scenario", values, context: context)
    }

    func runRow(_ view: RunView) -> [String: Any] {
        var row: [String: Any] = ["id": view.run.id!, "version": view.version.version, "by": view.requestedBy, "when": Self.time(view.run.created),
                                  "state": view.run.state.rawValue, "live": view.isLive]
        row["summary"] = view.run.summary
        row["change"] = view.run.changeName
        row["stableFrom"] = view.run.stableFromRunID
        return row
    }

    static func time(_ date: Date) -> String {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return format.string(from: date) + " UTC"
    }

    // MARK: Run

    func runPage(_ id: Int64, _ scope: SchoolScope, _ context: AppContext) async throws -> Response {
        let view = try await runs.run(id, in: scope)
        var values = runRow(view)
        values["title"] = "Run \(id)"
        values["run"] = id
        values["scenarioID"] = view.scenario.id!
        values["scenarioName"] = view.scenario.name
        values["timeLimit"] = Int(view.run.timeLimit)
        values["active"] = !view.run.state.isFinished
        values["isAdmin"] = context.user?.isAdmin == true
        if let progress = view.progress {
            values["progress"] = ["elapsed": progress.elapsed, "unmet": progress.unmetSessions, "objective": Self.amount(progress.objective),
                                  "bound": Self.amount(progress.bound), "gap": String(format: "%.2f %%", progress.gap * 100)]
        }
        if view.run.timetable != nil {
            let (scenario, checked, _) = try await runs.checkedTimetable(runID: id, in: scope)
            let s = scenario.scenario
            let names = Dictionary(s.students.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let unmetList = Timetable.Unmet.priorityOrdered(checked.timetable.unmet, scenario: s)
            let order = Dictionary(unmetList.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let unmetGroups = Timetable.Unmet.grouped(unmetList)
            values["timetable"] = [
                "report": summaryText(checked, scenario: s),
                "days": s.days.map { ["id": $0.rawValue, "name": $0.rawValue.capitalized] },
                "teachers": Self.byName(s.teachers.map { ($0.id, $0.name) }), "students": Self.byName(s.students.map { ($0.id, $0.name) }),
                "rooms": Self.byName(s.rooms.map { ($0.id, $0.name) }),
                "classes": Self.byName(s.classes.map { ($0.id, $0.name) }), "hasClasses": !s.classes.isEmpty,
                "hasLessons": !s.lessons.isEmpty, "allPlaced": checked.timetable.unplacedLessons.isEmpty,
                "unplaced": checked.timetable.unplacedLessons.map { u -> [String: Any] in
                    let lesson = s.lessons.first { $0.id == u.lesson }
                    let classes = (lesson?.classes ?? []).map { s.schoolClass($0)?.name ?? $0 }.joined(separator: ", ")
                    return ["lesson": u.lesson, "title": lesson?.title ?? u.lesson, "classes": classes, "missing": u.missing,
                            "reason": u.reason, "cause": u.cause ?? "",
                            "rules": (u.rules ?? []).map { id in RuleCatalogue.rule(id: id)?.labelled ?? id }.joined(separator: ", ")]
                },
                // The rows stay in priority order; what a group's reasons share is said once above them.
                "unmet": unmetGroups.flatMap(\.rows).sorted { order[$0.need]! < order[$1.need]! }.map {
                    ["student": names[$0.need.student] ?? $0.need.student, "studentID": $0.need.student, "subject": $0.need.subject,
                     "modality": $0.need.modality, "missing": $0.need.missing, "priority": $0.need.priority.rawValue,
                     "short": $0.short, "reason": $0.need.reason, "cause": $0.need.cause ?? "",
                     // The catalogue's own ids and names, as `flexsched rules` and `explain` give them.
                     "rules": ($0.need.rules ?? []).map { id in RuleCatalogue.rule(id: id)?.labelled ?? id }.joined(separator: ", ")]
                },
                "hasSharedCauses": unmetGroups.contains { !$0.shared.isEmpty },
                "sharedCauses": unmetGroups.filter { !$0.shared.isEmpty }.map { group in
                    ["need": "\(group.subject) \(group.modality)", "priority": group.priority.rawValue, "count": group.rows.count,
                     "shared": group.shared.joined(separator: "; ")]
                },
                "allMet": checked.timetable.unmet.isEmpty,
                "publishable": view.run.state == .done && view.run.baselineRunID == nil,
            ] as [String: Any]
        }
        return pages.render("run", values, context: context)
    }

    /// People, rooms and classes as a reader looks for them: by name (an unnamed one by its id).
    static func byName(_ items: [(id: String, name: String)]) -> [[String: String]] {
        items.map { ["id": $0.id, "name": $0.name.isEmpty ? $0.id : $0.name] }.sorted { $0["name"]!.localizedStandardCompare($1["name"]!) == .orderedAscending }
    }

    static func amount(_ value: Double) -> String { value.isFinite ? String(format: "%.1f", value) : "—" }

    func gridPage(_ id: Int64, _ owner: WeekOwner, _ scope: SchoolScope, _ context: AppContext) async throws -> Response {
        let (run, view) = try await runs.checkedRun(runID: id, in: scope)
        let s = run.scenario.scenario
        let (name, path): (String?, String) = switch owner {
        case .teacher(let who): (s.teachers.first { $0.id == who }?.name, "teachers/\(who)")
        case .student(let who): (s.students.first { $0.id == who }?.name, "students/\(who)")
        case .room(let which): (s.rooms.first { $0.id == which }?.name, "rooms/\(which)")
        case .schoolClass(let which): (s.schoolClass(which)?.name, "classes/\(which)")
        }
        guard let name else { throw ServiceError.notFound("run \(id)'s scenario has no \(path)") }
        let drawn = run.grid(path) {
            let grids = HTMLGrids(run.checked, scenario: s)
            return GridPage(heading: grids.heading(owner), grid: grids.week(of: owner), days: grids.days(of: owner), legend: grids.legend, styles: grids.styleSheet)
        }
        return pages.render("grid", [
            "title": "\(name) · \(view.scenario.name)", "run": id, "scenarioName": view.scenario.name, "gridStyles": drawn.styles,
            "heading": drawn.heading, "grid": drawn.grid, "days": drawn.days as Any, "legend": drawn.legend, "calendar": "/runs/\(id)/\(path).ics",
        ], context: context)
    }

    func dayPage(_ id: Int64, day name: String, _ scope: SchoolScope, _ context: AppContext) async throws -> Response {
        let (run, view) = try await runs.checkedRun(runID: id, in: scope)
        guard let day = Weekday(rawValue: name), run.scenario.scenario.days.contains(day) else {
            throw ServiceError.notFound("run \(id)'s week has no day \(name)")
        }
        let drawn = run.grid("days/\(name)") {
            let grids = HTMLGrids(run.checked, scenario: run.scenario.scenario)
            return GridPage(heading: "<span class=\"kind\">The whole school</span> \(name.capitalized)", grid: grids.day(day), days: nil,
                            legend: grids.legend, styles: grids.styleSheet)
        }
        return pages.render("grid", [
            "title": "\(name.capitalized) · \(view.scenario.name)", "run": id, "scenarioName": view.scenario.name, "gridStyles": drawn.styles,
            "heading": drawn.heading, "grid": drawn.grid, "legend": drawn.legend,
        ], context: context)
    }

    // MARK: Downloads

    func download(_ id: Int64, file: String, _ scope: SchoolScope) async throws -> Response {
        let (scenario, checked, view) = try await runs.checkedTimetable(runID: id, in: scope)
        switch file {
        case "timetable.json":
            let data: Data
            do { data = try checked.timetable.jsonData() } catch { throw ServiceError.failure(cause: "encoding run \(id)'s timetable: \(error)") }
            return Self.file(data, type: "application/json", name: "run-\(id).json")
        case "sessions.csv", "unmet.csv", "unplaced.csv":
            guard let csv = CSVExport.export(scenario: scenario, timetable: checked).first(where: { $0.path == file }) else {
                throw ServiceError.notFound("no \(file)")
            }
            return Self.file(csv.data, type: "text/csv; charset=utf-8", name: file)
        case "timetable.html":
            return Self.file(Data(timetableHTML(checked, scenario: scenario.scenario).utf8), type: "text/html; charset=utf-8", name: nil)
        case "school.ics":
            return try calendar(scenario, checked, view, kind: .school, ownerID: nil)
        default:
            throw ServiceError.notFound("no download \(file); there are timetable.json, sessions.csv, unmet.csv, unplaced.csv (with lessons), timetable.html and school.ics")
        }
    }

    func personalCalendar(_ id: Int64, _ owner: WeekOwner, _ scope: SchoolScope) async throws -> Response {
        let (scenario, checked, view) = try await runs.checkedTimetable(runID: id, in: scope)
        switch owner {
        case .teacher(let who): return try calendar(scenario, checked, view, kind: .teachers, ownerID: who)
        case .student(let who): return try calendar(scenario, checked, view, kind: .students, ownerID: who)
        case .room(let which): return try calendar(scenario, checked, view, kind: .rooms, ownerID: which)
        case .schoolClass(let which): return try calendar(scenario, checked, view, kind: .classes, ownerID: which)
        }
    }

    /// One calendar as `export ics` writes it, stamped with the run's finishing time so that
    /// downloading it twice gives the same file.
    func calendar(_ scenario: ValidatedScenario, _ checked: CheckedTimetable, _ view: RunView, kind: CalendarKind, ownerID: String?) throws -> Response {
        var options = CalendarExport.Options()
        options.kinds = [kind]
        options.keepEmptyCalendars = true
        let result: CalendarExport.Result
        do {
            result = try CalendarExport.export(scenario: scenario, timetable: checked, options: options,
                                               stamp: view.run.finished ?? view.run.created)
        } catch { throw ServiceError.invalid(error.problems) }
        guard let file = result.files.first(where: { $0.kind == kind && $0.ownerID == ownerID }) else {
            throw ServiceError.notFound("no \(kind.rawValue) calendar \(ownerID ?? "")")
        }
        return Self.file(file.data, type: "text/calendar; charset=utf-8", name: "\(ownerID ?? "school").ics")
    }

    /// A download; the name is ours (never the request's), and only names a saved copy.
    static func file(_ data: Data, type: String, name: String?) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if let name { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        // The printable timetable opens in the browser: its own style element, and nothing that runs.
        if type.hasPrefix("text/html") { headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Publish and explain

    /// The publication's change, or its preview with a confirmation form when it waits for one.
    func publishPage(_ outcome: PublishOutcome, _ context: AppContext) throws -> Response {
        pages.render("published", [
            "title": outcome.published ? "Published" : "Publish run \(outcome.runID)?", "published": outcome.published,
            "run": outcome.runID, "scenario": outcome.scenarioID, "previousRun": outcome.previousRunID as Any,
            "added": outcome.addedEvents, "changed": outcome.changedEvents, "unchanged": outcome.unchangedEvents, "removed": outcome.removedEvents,
            "affected": outcome.notices.map { ["role": $0.role, "name": $0.name, "lines": $0.lines] },
            "affectedCount": outcome.notices.count, "nobodyAffected": outcome.notices.isEmpty,
        ], context: context)
    }

    func explanationPage(_ explanation: Explanation, _ context: AppContext) -> Response {
        let finished = explanation.state == .done || explanation.state == .failed
        let advice = explanation.advice
        let lessons = explanation.unplaced, needs = explanation.unmet
        // Each change in the same words as `flexsched explain`: names, never ids.
        return pages.render("explain", [
            "title": "Suggestions for run \(explanation.runID)", "run": explanation.runID, "shortfall": lessons || needs,
            "aim": adviceAim(lessons: lessons, needs: needs),
            "working": !finished, "refresh": finished ? nil : 2 as Int?, "problem": explanation.problem as Any, "done": explanation.state == .done,
            "suggestions": (advice?.suggestions ?? []).enumerated().map { i, suggestion in
                // A variant's name holds at most 80 characters (`WhatIfService.start`).
                var row: [String: Any] = ["change": suggestion.change, "outcome": suggestion.outcome(lessons: lessons, needs: needs),
                                          "changeName": String(suggestion.change.prefix(80)), "index": i + 1]
                if let file = explanation.changeFile(i) { row["changeYAML"] = file }
                return row
            },
            "isAdmin": context.user?.isAdmin == true,
            "hasSuggestions": !(advice?.suggestions ?? []).isEmpty, "tried": advice?.tried ?? [],
        ], context: context)
    }
}
