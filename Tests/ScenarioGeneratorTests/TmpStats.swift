import Testing
import ScenarioKit
@testable import ScenarioGenerator

@Test func tmpStats() {
    for spec in [GeneratorSpec.small, .medium, .large, .xl, .tiny(seed: 3), .tiny(seed: 98), .tiny(seed: 127)] {
        let start = ContinuousClock.now
        var b = Builder(spec: spec)
        let g = b.run()
        let s = g.scenario
        let needed = s.students.reduce(0) { $0 + $1.needs.reduce(0) { $0 + $1.sessions } }
        let lines = s.students.reduce(0) { $0 + $1.needs.count }
        let ts = g.planted!.sessions.filter { $0.teacher != nil }.count
        let modal = Dictionary(grouping: g.planted!.sessions, by: \.modality).mapValues(\.count)
        print("\(spec.name): students \(s.students.count) lines \(lines) needed \(needed) sessions \(g.planted!.sessions.count) teacherSessions \(ts) cap \(b.teacherCapacity) util \(Double(ts)/Double(b.teacherCapacity)) roomUse \(Double(g.planted!.sessions.count)/Double(s.rooms.count*b.slotCount)) modal \(modal.sorted{$0.key<$1.key}) requires \(s.students.filter{!$0.requires.isEmpty}.count) empty \(s.students.filter{$0.needs.isEmpty}.map(\.id)) time \(ContinuousClock.now - start)")
        if spec.students < 20 { print(s.yamlText()); print(g.planted!.sessions.map { "\($0.day).\($0.block) \($0.room) \($0.modality) \($0.subject) \($0.teacher ?? "-") \($0.students)" }.joined(separator: "\n")) }
    }
}
