import ScenarioKit
import TimetableFormat

extension HTMLGrids {
    /// The same week as `week(of:)`, as one section per day in the week's order, each session a
    /// list item with its clock times: what a phone shows, where five columns would break every word.
    /// A day nav links the sections, so the week reads without a script.
    public func days(of owner: WeekOwner) -> String {
        let mine = (byOwner[owner] ?? []).sorted(by: look.chronological)
        let days = look.scenario.days
        var out = ["<nav class=\"day-links\" aria-label=\"Days\">"
                   + days.map { "<a href=\"#day-\($0.rawValue)\">\(dayLabel($0))</a>" }.joined(separator: " ") + "</nav>",
                   "<div class=\"days\">"]
        for day in days {
            let today = mine.filter { Weekday(rawValue: $0.day.lowercased()) == day }
            out.append("<section class=\"day\" id=\"day-\(day.rawValue)\" aria-labelledby=\"day-\(day.rawValue)-name\">")
            out.append("<h3 id=\"day-\(day.rawValue)-name\">\(day.longName)</h3>")
            if today.isEmpty {
                out.append("<p class=\"free\">No sessions.</p>")
            } else {
                out.append("<ol class=\"sessions\">")
                for s in today {
                    let run = look.run(of: s)
                    let when = run.first.flatMap { first in run.last.map { "\(first.start)–\($0.end)" } } ?? s.block
                    let parts = sessionParts(look, for: owner, s, part: nil)
                    out.append("<li class=\"s \(styles.className(s))\"><p class=\"when\">\(html(when))</p>"
                               + parts.enumerated().map { i, line in i == 0 ? "<p class=\"what\">\(html(line))</p>" : "<p>\(html(line))</p>" }.joined()
                               + "</li>")
                }
                out.append("</ol>")
            }
            out.append("</section>")
        }
        out.append("</div>")
        return out.joined(separator: "\n")
    }
}
