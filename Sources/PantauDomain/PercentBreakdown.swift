/// One row of a breakdown: how many items fall in a category and their whole-number share.
public struct BreakdownRow<Key: Hashable & Sendable>: Hashable, Sendable {
    public let key: Key
    public let count: Int
    public let percent: Int
}

/// Shares that always add up to exactly 100, as the official evaluation reports print them.
public enum PercentBreakdown {
    /// Largest-remainder (Hamilton) rounding: every share is floored, then the points still missing
    /// go one each to the rows with the largest remainders; ties go to the larger count, then to
    /// the earlier row. With no items at all every share is 0.
    public static func rows<Key: Hashable & Sendable>(_ counts: [(Key, Int)]) -> [BreakdownRow<Key>] {
        precondition(counts.allSatisfy { $0.1 >= 0 }, "counts are never negative")
        let total = counts.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return counts.map { BreakdownRow(key: $0.0, count: $0.1, percent: 0) } }
        var percents = counts.map { $0.1 * 100 / total }
        let remainders = counts.map { $0.1 * 100 % total }
        let missing = 100 - percents.reduce(0, +)
        let order = counts.indices.sorted { a, b in
            if remainders[a] != remainders[b] { return remainders[a] > remainders[b] }
            if counts[a].1 != counts[b].1 { return counts[a].1 > counts[b].1 }
            return a < b
        }
        for index in order.prefix(missing) { percents[index] += 1 }
        return counts.indices.map { BreakdownRow(key: counts[$0].0, count: counts[$0].1, percent: percents[$0]) }
    }
}
