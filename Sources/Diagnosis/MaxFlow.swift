/// Integer maximum flow (Dinic). The diagnosis proves "at most this many sessions fit" by relaxing a
/// timetable to a flow: every real timetable is a feasible flow, so the maximum flow bounds it.
final class FlowNetwork {
    static let unlimited = Int.max / 4
    private var target: [Int] = [], capacity: [Int] = [], edges: [[Int]] = []
    func node() -> Int { edges.append([]); return edges.count - 1 }
    /// A new node whose only way on is one edge of capacity `cap` to `next`.
    func node(to next: Int, _ cap: Int) -> Int { let n = node(); edge(n, next, cap); return n }

    func edge(_ from: Int, _ to: Int, _ cap: Int) {
        guard cap > 0 else { return }
        edges[from].append(target.count); target.append(to); capacity.append(cap)
        edges[to].append(target.count); target.append(from); capacity.append(0)
    }

    func maxFlow(from source: Int, to sink: Int) -> Int {
        var total = 0
        while true {
            var level = [Int](repeating: -1, count: edges.count), queue = [source], head = 0
            level[source] = 0
            while head < queue.count {
                let u = queue[head]; head += 1
                for e in edges[u] where capacity[e] > 0 && level[target[e]] < 0 { level[target[e]] = level[u] + 1; queue.append(target[e]) }
            }
            guard level[sink] >= 0 else { return total }
            var next = [Int](repeating: 0, count: edges.count)
            func push(_ u: Int, _ limit: Int) -> Int {
                if u == sink { return limit }
                while next[u] < edges[u].count {
                    let e = edges[u][next[u]], v = target[e]
                    if capacity[e] > 0, level[v] == level[u] + 1 {
                        let pushed = push(v, min(limit, capacity[e]))
                        if pushed > 0 { capacity[e] -= pushed; capacity[e ^ 1] += pushed; return pushed }
                    }
                    next[u] += 1
                }
                return 0
            }
            while case let pushed = push(source, FlowNetwork.unlimited), pushed > 0 { total += pushed }
        }
    }
}
