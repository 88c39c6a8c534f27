import PantauDomain
import Testing

@Suite("The evaluation report's numbers")
struct EvaluationReportTests {
    func input(scores: [Int?], ratings: [CoCreationRating?]) -> EvaluationInput {
        let commitments = scores.enumerated().map { index, score in
            EvaluationInput.Commitment(number: index + 1, title: "Komitmen \(index + 1)", score: score, rating: ratings[index])
        }
        let targets = [
            EvaluationInput.Target(commitmentNumber: 1, measure: "U1", responsible: "KL A", responsibleKind: .governmentAgency, text: "t1", semester: "B12", score: .points(90)),
            EvaluationInput.Target(commitmentNumber: 1, measure: "U1", responsible: "KL A", responsibleKind: .governmentAgency, text: "t0", semester: "B06", score: .points(40)),
            EvaluationInput.Target(commitmentNumber: 2, measure: "U2", responsible: "OMS B", responsibleKind: .civilSociety, text: "t2", semester: "B12", score: .notApplicable),
            EvaluationInput.Target(commitmentNumber: 2, measure: "U3", responsible: "OMS C", responsibleKind: .civilSociety, text: "t3", semester: "B12", score: nil),
        ]
        return EvaluationInput(scheme: .ogi, targets: targets, commitments: commitments, semesters: ["B06", "B12"])
    }

    @Test func commitmentsByCategoryAddUpToExactly100() {
        // 8 Baik, 4 Cukup, 6 Kurang of 18: 45, 22, 33, as in the official report.
        let scores: [Int?] = Array(repeating: 80, count: 8) + Array(repeating: 60, count: 4) + Array(repeating: 30, count: 6)
        let report = EvaluationReport(input(scores: scores, ratings: Array(repeating: nil, count: 18)))
        #expect(report.commitmentsByCategory.map(\.key) == ["baik", "cukup", "kurang", EvaluationReport.notYet])
        #expect(report.commitmentsByCategory.map(\.count) == [8, 4, 6, 0])
        #expect(report.commitmentsByCategory.map(\.percent) == [45, 22, 33, 0])
        #expect(report.commitmentsByRating.map(\.key) == ["aktif", "semi_aktif", "pasif", "tidak_bisa_dilaksanakan", EvaluationReport.notYet])
        #expect(report.commitmentsByRating.last?.percent == 100)
    }

    @Test func targetsAreSplitBetweenAgenciesAndCivilSociety() {
        let report = EvaluationReport(input(scores: [70, nil], ratings: [.aktif, .pasif]))
        #expect(report.counts.agencies == 1)
        #expect(report.counts.civilSocietyOrganisations == 2)
        #expect(report.counts.measures == 3)
        #expect(report.counts.targetsPerSemester.map(\.count) == [1, 3])
        #expect(report.agencyTargetsByCategory.map(\.count) == [1, 0, 1, 0, 0])
        #expect(report.agencyTargetsByCategory.map(\.percent) == [50, 0, 50, 0, 0])
        #expect(report.civilSocietyTargetsByCategory.map(\.count) == [0, 0, 0, 1, 1])
        #expect(report.commitmentsByRating.map(\.percent) == [50, 0, 50, 0, 0])
        let baik = report.targetAnnex.first { $0.category == "baik" }
        #expect(baik?.targets.map(\.text) == ["t1"])
        let unscored = report.commitmentAnnex.first { $0.category == EvaluationReport.notYet }
        #expect(unscored?.commitments.map(\.number) == [2])
    }
}
