import PantauDomain
import Testing

@Suite("Scoring schemes")
struct ScoringSchemeTests {
    @Test("OGI categories at every boundary", arguments: [
        (0, "kurang"), (50, "kurang"), (51, "cukup"), (69, "cukup"), (70, "baik"), (100, "baik"),
    ])
    func ogiBoundaries(points: Int, expected: String) throws {
        #expect(try ScoringScheme.ogi.category(for: .points(points)).code == expected)
    }

    @Test func notApplicableHasItsOwnCategory() throws {
        let category = try ScoringScheme.ogi.category(for: .notApplicable)
        #expect(category.code == "na")
        #expect(category.labels["id"] == "N/A")
    }

    @Test("Scores outside 0-100 are rejected", arguments: [-1, 101, -50, 1000])
    func outOfRange(points: Int) {
        #expect(throws: ScoringSchemeError.scoreOutOfRange(points)) {
            try ScoringScheme.ogi.category(for: .points(points))
        }
    }

    @Test func categoriesAreOrderedFromHighest() {
        #expect(ScoringScheme.ogi.categories.map(\.code) == ["baik", "cukup", "kurang"])
        #expect(ScoringScheme.ogi.allCategories.map(\.code) == ["baik", "cukup", "kurang", "na"])
    }

    /// Another programme's scale: four bands with different thresholds, decided by data alone.
    @Test func anotherProgrammeScale() throws {
        let scheme = try ScoringScheme(
            code: "partner", labels: ["en": "Partner"],
            categories: [
                band("a", 0, 24), band("b", 25, 49), band("c", 50, 74), band("d", 75, 100),
            ],
            notApplicable: band("na", 0, 0))
        #expect(try scheme.category(for: .points(24)).code == "a")
        #expect(try scheme.category(for: .points(25)).code == "b")
        #expect(try scheme.category(for: .points(74)).code == "c")
        #expect(try scheme.category(for: .points(75)).code == "d")
        #expect(try scheme.category(for: .points(69)).code == "c")
    }

    @Test func overlappingBandsAreRefused() {
        #expect(throws: ScoringSchemeError.overlap("low", "high")) {
            try ScoringScheme(code: "x", labels: [:], categories: [band("low", 0, 60), band("high", 60, 100)],
                              notApplicable: band("na", 0, 0))
        }
    }

    @Test func gapsAreRefused() {
        #expect(throws: ScoringSchemeError.gap(after: 50)) {
            try ScoringScheme(code: "x", labels: [:], categories: [band("low", 0, 50), band("high", 52, 100)],
                              notApplicable: band("na", 0, 0))
        }
    }

    @Test func bandsMustCoverZeroToHundred() {
        #expect(throws: ScoringSchemeError.doesNotCover(min: 0, max: 100)) {
            try ScoringScheme(code: "x", labels: [:], categories: [band("only", 10, 100)], notApplicable: band("na", 0, 0))
        }
        #expect(throws: ScoringSchemeError.noCategories) {
            try ScoringScheme(code: "x", labels: [:], categories: [], notApplicable: band("na", 0, 0))
        }
    }

    @Test func duplicateCodesAndReversedRangesAreRefused() {
        #expect(throws: ScoringSchemeError.duplicateCode("na")) {
            try ScoringScheme(code: "x", labels: [:], categories: [band("na", 0, 100)], notApplicable: band("na", 0, 0))
        }
        #expect(throws: ScoringSchemeError.invalidRange(category: "r")) {
            try ScoringScheme(code: "x", labels: [:], categories: [band("r", 100, 0)], notApplicable: band("na", 0, 0))
        }
    }

    private func band(_ code: String, _ min: Int, _ max: Int) -> ScoreCategory {
        ScoreCategory(code: code, labels: ["en": code], minScore: min, maxScore: max)
    }
}
