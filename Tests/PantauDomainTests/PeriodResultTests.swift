import PantauDomain
import Testing

/// A commitment's result in a semester or a year (SPEC.md §5): the mean of scored targets, N/A excluded, rounded
/// half up, unless overridden; coverage says how many targets it rests on.
@Suite("Period results")
struct PeriodResultTests {
    static func scored(_ points: Int) -> TargetOutcome { TargetOutcome(reported: true, score: .points(points)) }
    static let notApplicable = TargetOutcome(reported: true, score: .notApplicable)
    static let waiting = TargetOutcome(reported: true, score: nil)

    @Test("Mean rounded half up", arguments: [
        ([70, 71], 71),     // 70.5 → 71
        ([80, 85], 83),     // 82.5 → 83
        ([50, 51, 51], 51), // 50.67 → 51
        ([60, 61, 61, 61], 61), // 60.75 → 61
        ([69, 70], 70),     // 69.5 → 70: Cukup would become Baik
        ([100], 100),
        ([0, 1], 1),        // 0.5 → 1
    ])
    func meanHalfUp(points: [Int], expected: Int) throws {
        let result = try PeriodResult(outcomes: points.map(Self.scored), scoreOverride: nil, scheme: .ogi)
        #expect(result.defaultScore == expected)
        #expect(result.finalScore == expected)
    }

    @Test func halfUpDecidesTheCategoryAtTheBoundary() throws {
        // 69.5 is Baik after rounding half up; floor would make it Cukup.
        let result = try PeriodResult(outcomes: [Self.scored(69), Self.scored(70)], scoreOverride: nil, scheme: .ogi)
        #expect(result.category?.code == "baik")
    }

    @Test func notApplicableIsLeftOutNotCountedAsZero() throws {
        let result = try PeriodResult(outcomes: [Self.scored(80), Self.notApplicable, Self.scored(90)], scoreOverride: nil, scheme: .ogi)
        #expect(result.defaultScore == 85)
        #expect(result.coverage == Coverage([Self.scored(80), Self.notApplicable, Self.scored(90)]))
        #expect(result.coverage.scored == 3)
        #expect(result.coverage.notApplicable == 1)
        let onlyNotApplicable = try PeriodResult(outcomes: [Self.notApplicable], scoreOverride: nil, scheme: .ogi)
        #expect(onlyNotApplicable.defaultScore == nil)
        #expect(onlyNotApplicable.category == nil)
    }

    @Test func theOverrideWinsAndKeepsTheDefaultVisible() throws {
        let result = try PeriodResult(outcomes: [Self.scored(40), Self.scored(50)], scoreOverride: 72, scheme: .ogi)
        #expect(result.defaultScore == 45)
        #expect(result.scoreOverride == 72)
        #expect(result.finalScore == 72)
        #expect(result.category?.code == "baik")
        // An override of 0 is a score, not the absence of one.
        let zero = try PeriodResult(outcomes: [Self.scored(90)], scoreOverride: 0, scheme: .ogi)
        #expect(zero.finalScore == 0)
        #expect(zero.category?.code == "kurang")
    }

    @Test func coverageCountsWhatTheResultRestsOn() throws {
        let outcomes = [Self.scored(80), .notReported, Self.waiting, .notReported, Self.notApplicable]
        let result = try PeriodResult(outcomes: outcomes, scoreOverride: nil, scheme: .ogi)
        #expect(result.coverage.targets == 5)
        #expect(result.coverage.reported == 3)
        #expect(result.coverage.scored == 2)
        #expect(result.coverage.isPartial)
        #expect(result.finalScore == 80)
        #expect(!Coverage([Self.scored(1), Self.notApplicable]).isPartial)
    }

    @Test func noTargetsNoScore() throws {
        let result = try PeriodResult(outcomes: [], scoreOverride: nil, scheme: .ogi)
        #expect(result.finalScore == nil)
        #expect(result.coverage.targets == 0)
        #expect(!result.coverage.isPartial)
    }

    @Test func aYearRestsOnEverySemesterEndingInIt() {
        let schedule = Semester.schedule(startingIn: YearMonth(iso: "2021-01")!, months: 24)
        #expect(PeriodResult.semesters(of: .year(2021), in: schedule).map(\.code) == ["B06", "B12"])
        #expect(PeriodResult.semesters(of: .year(2022), in: schedule).map(\.code) == ["B18", "B24"])
        #expect(PeriodResult.semesters(of: .semester("B18"), in: schedule).map(\.code) == ["B18"])
        #expect(PeriodResult.semesters(of: .year(2023), in: schedule).isEmpty)
        // A plan starting mid-year: its first year holds one semester.
        let offset = Semester.schedule(startingIn: YearMonth(iso: "2020-07")!, months: 24)
        #expect(PeriodResult.semesters(of: .year(2020), in: offset).map(\.code) == ["B06"])
        #expect(PeriodResult.semesters(of: .year(2021), in: offset).map(\.code) == ["B12", "B18"])
    }

    @Test func aYearIsTheMeanOfAllItsTargetsNotItsLastSemester() throws {
        // B06: 100 and 90; B12: 50. The year is (100 + 90 + 50) / 3 = 80 (Baik); B12 alone would be 50 (Kurang),
        // and the mean of the two semesters' means (95 and 50) would be 73.
        let year = [Self.scored(100), Self.scored(90), Self.scored(50)]
        let result = try PeriodResult(outcomes: year, scoreOverride: nil, scheme: .ogi)
        #expect(result.finalScore == 80)
        #expect(result.category?.code == "baik")
    }
}
