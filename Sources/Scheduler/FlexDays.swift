import WeekIndex

/// Whether the lesson grid leaves each student room for her flex sessions. Lessons are placed before
/// flex sessions exist, and a lesson grid that fills a student's `max-per-day` on most days can leave
/// a need of hers without a day at all (a need meets at most once a day): on the bundled hybrid week
/// a mandated history tutoring session went unmet that way, with teachers free all week.
extension Plan {
    /// Days on which student `s` still has room for a flex session: under her `max-per-day`, with a
    /// block she is available in and free.
    func flexDays(_ s: Int) -> Int {
        let info = instance.students[s]
        return (0..<instance.dayCount).count { d in
            studentDayLoad[s][d] < info.maxPerDay && instance.slots(ofDay: d).contains { info.available[$0] && studentAt[s][$0] == Plan.free }
        }
    }

    /// Whether every member of lesson `l` keeps a day for each session of her largest need.
    func leavesFlexDays(forLesson l: Int) -> Bool {
        instance.lessons[l].students.allSatisfy { s in
            flexDays(s) >= (instance.students[s].needs.map(\.sessions).max() ?? 0)
        }
    }
}
