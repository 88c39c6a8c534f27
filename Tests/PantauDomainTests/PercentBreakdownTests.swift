import PantauDomain
import Testing

@Suite("Largest-remainder percentages")
struct PercentBreakdownTests {
    @Test func theEvaluationReportExample() {
        // 8, 4 and 6 of 18 commitments: 44.4, 22.2, 33.3 → 45, 22, 33.
        let rows = PercentBreakdown.rows([("baik", 8), ("cukup", 4), ("kurang", 6)])
        #expect(rows.map(\.percent) == [45, 22, 33])
        #expect(rows.map(\.count) == [8, 4, 6])
        #expect(rows.map(\.key) == ["baik", "cukup", "kurang"])
    }

    @Test func thirdsGiveTheExtraPointToTheFirst() {
        #expect(PercentBreakdown.rows([("a", 1), ("b", 1), ("c", 1)]).map(\.percent) == [34, 33, 33])
    }

    @Test func exactSharesAreKept() {
        #expect(PercentBreakdown.rows([("a", 1), ("b", 1), ("c", 2)]).map(\.percent) == [25, 25, 50])
        #expect(PercentBreakdown.rows([("a", 7), ("b", 0)]).map(\.percent) == [100, 0])
    }

    @Test func nothingCountedGivesZeroes() {
        #expect(PercentBreakdown.rows([("a", 0), ("b", 0)]).map(\.percent) == [0, 0])
        #expect(PercentBreakdown.rows([(String, Int)]()).isEmpty)
    }

    @Test func equalRemaindersFavourTheLargerCount() {
        // 1/8 = 12.5 and 3/8 = 37.5 have equal remainders; 4/8 = 50 exact. The larger count gets the point.
        #expect(PercentBreakdown.rows([("small", 1), ("large", 3), ("half", 4)]).map(\.percent) == [12, 38, 50])
    }

    @Test("Shares always add up to exactly 100", arguments: 1...300)
    func alwaysHundred(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let size = Int.random(in: 1...9, using: &generator)
        let counts = (0..<size).map { ("k\($0)", Int.random(in: 0...60, using: &generator)) }
        let rows = PercentBreakdown.rows(counts)
        let total = counts.reduce(0) { $0 + $1.1 }
        if total > 0 {
            #expect(rows.reduce(0) { $0 + $1.percent } == 100)
            // No share is more than one point away from its exact value.
            for row in rows {
                let exact = Double(row.count) * 100 / Double(total)
                #expect(abs(Double(row.percent) - exact) < 1)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) so the property test is repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
