import Foundation
import PantauDomain
import Testing

@Suite("Plan document checks")
struct PlanValidationTests {
    /// A tiny made-up plan: one commitment, one goal, one measure with two targets.
    func validPlan() -> PlanDocument {
        PlanDocument(
            code: "uji-2030-2032", title: "Rencana uji", periodStart: YearMonth(iso: "2031-01")!,
            periodEnd: YearMonth(iso: "2032-12")!,
            semesters: Semester.schedule(startingIn: YearMonth(iso: "2031-01")!, months: 24), scoringScheme: "ogi",
            organisations: [
                OrganisationRecord(name: "Kementerian Uji", acronym: "KU", kind: .governmentAgency),
                OrganisationRecord(name: "Lembaga Warga Uji", acronym: nil, kind: .civilSociety),
            ],
            commitments: [
                CommitmentRecord(number: 1, title: "Komitmen uji", proposers: ["Lembaga Warga Uji"], responsible: ["Kementerian Uji"],
                                 goals: [GoalRecord(text: "Sasaran", measures: [
                                    MeasureRecord(text: "Ukuran", responsible: "Kementerian Uji", targets: [
                                        TargetRecord(semester: "B06", text: "Target satu"),
                                        TargetRecord(semester: "B12", text: "Target dua"),
                                    ]),
                                 ])]),
            ])
    }

    @Test func aValidPlanHasNoProblems() {
        #expect(validPlan().problems().isEmpty)
    }

    @Test func everyProblemIsReportedAtOnceWithItsPlace() {
        var plan = validPlan()
        plan.code = "Bad Code"
        plan.title = "  "
        plan.commitments[0].goals[0].measures[0].targets.append(TargetRecord(semester: "B30", text: "?"))
        plan.commitments[0].goals[0].measures[0].targets.append(TargetRecord(semester: "B06", text: "again"))
        plan.commitments[0].goals[0].measures.append(MeasureRecord(text: "", responsible: "", targets: []))
        plan.commitments[0].partners = ["Nobody"]
        plan.commitments.append(CommitmentRecord(number: 1, title: ""))
        let problems = plan.problems()
        let kinds = problems.map(\.kind)
        #expect(kinds.contains(.invalidCode))
        #expect(kinds.contains(.emptyTitle))
        #expect(kinds.contains(.unknownOrganisation))
        #expect(kinds.contains(.duplicateCommitment))
        #expect(kinds.contains(.emptyCommitmentTitle))
        #expect(kinds.contains(.emptyMeasure))
        #expect(kinds.contains(.missingResponsible))
        let unknownSemester = problems.first { $0.kind == .unknownSemester }
        #expect(unknownSemester?.location == PlanLocation(commitment: 1, goal: 1, measure: 1, semester: "B30"))
        #expect(unknownSemester?.value == "B30")
        #expect(problems.contains { $0.kind == .duplicateTarget && $0.value == "B06" })
    }

    @Test func measuresNeedAKnownResponsibleOrganisation() {
        var plan = validPlan()
        plan.commitments[0].goals[0].measures[0].responsible = "Kementerian Lain"
        #expect(plan.problems().map(\.kind) == [.unknownOrganisation])
    }

    @Test func organisationsAndSemestersAreUnique() {
        var plan = validPlan()
        plan.organisations.append(OrganisationRecord(name: "Kementerian Uji", kind: .governmentAgency))
        plan.semesters.append(plan.semesters[0])
        let kinds = plan.problems().map(\.kind)
        #expect(kinds.contains(.duplicateOrganisation))
        #expect(kinds.contains(.duplicateSemester))
    }

    @Test func periodAndSemestersMustMakeSense() {
        var plan = validPlan()
        plan.periodEnd = YearMonth(iso: "2030-01")!
        plan.semesters = []
        plan.commitments[0].goals[0].measures[0].targets = []
        #expect(plan.problems().map(\.kind) == [.periodReversed, .noSemesters])
    }

    @Test func documentsSurviveJSON() throws {
        let plan = validPlan()
        let data = try JSONEncoder().encode(plan)
        #expect(try JSONDecoder().decode(PlanDocument.self, from: data) == plan)
    }
}
