import PantauDomain
import Testing

@Suite("Differences between plan versions")
struct PlanDiffTests {
    static func plan(_ commitments: [CommitmentRecord]) -> PlanDocument {
        let start = YearMonth(year: 2023, month: 1)!
        return PlanDocument(code: "RAN-X", title: "X", periodStart: start, periodEnd: start.adding(months: 23),
                            semesters: Semester.schedule(startingIn: start, months: 24), scoringScheme: "ogi",
                            organisations: [], commitments: commitments)
    }

    static func commitment(_ number: Int, target: String = "Tersedianya 1 laporan", responsible: String = "Kominfo") -> CommitmentRecord {
        CommitmentRecord(number: number, title: "Komitmen \(number)", goals: [
            GoalRecord(text: "Sasaran", measures: [
                MeasureRecord(text: "Ukuran", responsible: responsible, targets: [
                    TargetRecord(semester: "B06", text: "Draf"), TargetRecord(semester: "B12", text: target),
                ]),
            ]),
        ])
    }

    @Test func identicalPlansHaveNoChanges() {
        #expect(PlanDiff.changes(from: Self.plan([Self.commitment(1)]), to: Self.plan([Self.commitment(1)])).isEmpty)
    }

    @Test func aChangedTargetIsNamedByItsCell() {
        let changes = PlanDiff.changes(from: Self.plan([Self.commitment(1), Self.commitment(2)]),
                                       to: Self.plan([Self.commitment(1), Self.commitment(2, target: "Tersedianya 2 laporan")]))
        #expect(changes.count == 1)
        #expect(changes[0].number == 2)
        #expect(changes[0].kind == .changed)
        #expect(changes[0].changes == [PlanDiff.FieldChange(location: .init(field: "target", goal: 1, measure: 1, semester: "B12"),
                                                          before: "Tersedianya 1 laporan", after: "Tersedianya 2 laporan")])
    }

    @Test func addedAndRemovedCommitmentsListEveryValue() {
        let changes = PlanDiff.changes(from: Self.plan([Self.commitment(1)]), to: Self.plan([Self.commitment(2)]))
        #expect(changes.map(\.number) == [1, 2])
        #expect(changes.map(\.kind) == [.removed, .added])
        #expect(changes[0].changes.allSatisfy { $0.after == nil })
        #expect(changes[1].changes.allSatisfy { $0.before == nil })
        // Commitment fields come before the matrix, and the matrix reads goal, measure, responsible, targets by semester.
        #expect(changes[1].changes.map(\.location.field) == ["title", "goal", "measure", "responsible", "target", "target"])
        #expect(changes[1].changes.compactMap(\.location.semester) == ["B06", "B12"])
    }

    @Test func aNewResponsiblePartyIsAChange() {
        let changes = PlanDiff.changes(from: Self.plan([Self.commitment(1)]), to: Self.plan([Self.commitment(1, responsible: "Bappenas")]))
        #expect(changes.first?.changes == [PlanDiff.FieldChange(location: .init(field: "responsible", goal: 1, measure: 1),
                                                               before: "Kominfo", after: "Bappenas")])
    }
}
