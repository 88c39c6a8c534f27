import Fluent
import Foundation
import PantauDomain

/// Reads a stored plan back into a whole `PlanDocument`, as exports and round trips need it.
public enum PlanReader {
    public static func document(code: String, on database: any Database) async throws -> PlanDocument {
        guard let plan = try await ActionPlanModel.query(on: database).filter(\.$code == code)
            .with(\.$semesters).with(\.$scheme).first() else { throw AppError.planNotFound(code: code) }
        let tree = try await PlanTree.load(planID: plan.requireID(), semesterIDs: plan.semesters.compactMap(\.id), on: database)
        let semesters = plan.semesters.sorted { $0.month < $1.month }
        let semesterCodes = Dictionary(uniqueKeysWithValues: semesters.map { ($0.id!, $0.code) })
        var organisations: [String: OrganisationRecord] = [:]
        var organisationOrder: [String] = []
        func use(_ organisation: OrganisationModel) -> String {
            if organisations[organisation.name] == nil {
                organisations[organisation.name] = OrganisationRecord(name: organisation.name, acronym: organisation.acronym,
                                                                      kind: organisation.kind)
                organisationOrder.append(organisation.name)
            }
            return organisation.name
        }

        let commitments = tree.commitments.map { commitment -> CommitmentRecord in
            let id = commitment.id!
            func names(_ role: CommitmentRole) -> [String] {
                tree.participants[id, default: []].filter { $0.role == role }.sorted { $0.position < $1.position }
                    .compactMap { tree.organisations[$0.$organisation.id].map(use) }
            }
            let goals = tree.goals[id, default: []].map { goal in
                GoalRecord(text: goal.text, measures: tree.measures[goal.id!, default: []].compactMap { measure in
                    let targets = tree.targets[measure.id!, default: []]
                        .compactMap { target in semesterCodes[target.$semester.id].map { (code: $0, text: target.text) } }
                        .sorted { $0.code < $1.code }
                        .map { TargetRecord(semester: $0.code, text: $0.text) }
                    guard let responsible = tree.organisations[measure.$responsible.id] else { return nil }
                    return MeasureRecord(text: measure.text, responsible: use(responsible),
                                         expectedEvidence: measure.expectedEvidence, targets: targets)
                })
            }
            return CommitmentRecord(
                number: commitment.number, title: commitment.title, theme: commitment.theme,
                description: commitment.descriptionRecord,
                proposers: names(.proposer), responsible: names(.responsible), related: names(.related), partners: names(.partner),
                planningDirectorate: commitment.planningDirectorate,
                contacts: tree.contacts[id, default: []].sorted { $0.position < $1.position }.map(\.record),
                start: commitment.startMonth.flatMap(YearMonth.init(iso:)), end: commitment.endMonth.flatMap(YearMonth.init(iso:)),
                indicators: tree.indicators[id, default: []].sorted { $0.position < $1.position }.map(\.record),
                goals: goals, note: commitment.note)
        }

        return PlanDocument(
            code: plan.code, title: plan.title,
            periodStart: YearMonth(iso: plan.periodStart)!, periodEnd: YearMonth(iso: plan.periodEnd)!,
            semesters: semesters.map {
                Semester(code: $0.code, month: $0.month, startDay: CalendarDay(iso: $0.startDate)!, endDay: CalendarDay(iso: $0.endDate)!)
            },
            scoringScheme: plan.scheme.code,
            organisations: organisationOrder.map { organisations[$0]! },
            commitments: commitments)
    }
}

/// A plan's commitments and everything under them, read in a fixed number of flat queries and grouped by parent id in
/// Swift: reading grows linearly with the plan (Fluent's eager loader matches every child against every parent).
struct PlanTree {
    let commitments: [CommitmentModel]
    /// Children by their parent's id, each list in position order.
    let participants: [UUID: [CommitmentOrganisationModel]]
    let contacts: [UUID: [ContactModel]]
    let indicators: [UUID: [IndicatorModel]]
    let goals: [UUID: [GoalModel]]
    let measures: [UUID: [SuccessMeasureModel]]
    let targets: [UUID: [TargetModel]]
    let organisations: [UUID: OrganisationModel]

    static func load(planID: UUID, semesterIDs: [UUID], on database: any Database) async throws -> PlanTree {
        let commitments = try await CommitmentModel.query(on: database).filter(\.$plan.$id == planID).sort(\.$number).all()
        func underPlan<Child: Model>(_ type: Child.Type, _ key: KeyPath<Child, ParentProperty<Child, CommitmentModel>>) -> QueryBuilder<Child> {
            Child.query(on: database).join(CommitmentModel.self, on: key.appending(path: \.$id) == \CommitmentModel.$id)
                .filter(CommitmentModel.self, \.$plan.$id == planID)
        }
        let participants = try await underPlan(CommitmentOrganisationModel.self, \.$commitment).all()
        let contacts = try await underPlan(ContactModel.self, \.$commitment).all()
        let indicators = try await underPlan(IndicatorModel.self, \.$commitment).all()
        let goals = try await underPlan(GoalModel.self, \.$commitment).sort(\.$position).all()
        let measures = try await SuccessMeasureModel.query(on: database)
            .join(GoalModel.self, on: \SuccessMeasureModel.$goal.$id == \GoalModel.$id)
            .join(CommitmentModel.self, on: \GoalModel.$commitment.$id == \CommitmentModel.$id)
            .filter(CommitmentModel.self, \.$plan.$id == planID).sort(\.$position).all()
        let targets = semesterIDs.isEmpty ? [] : try await TargetModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).all()
        let organisations = try await OrganisationModel.query(on: database).all()
        return PlanTree(
            commitments: commitments,
            participants: Dictionary(grouping: participants, by: { $0.$commitment.id }),
            contacts: Dictionary(grouping: contacts, by: { $0.$commitment.id }),
            indicators: Dictionary(grouping: indicators, by: { $0.$commitment.id }),
            goals: Dictionary(grouping: goals, by: { $0.$commitment.id }),
            measures: Dictionary(grouping: measures, by: { $0.$goal.id }),
            targets: Dictionary(grouping: targets, by: { $0.$measure.id }),
            organisations: Dictionary(organisations.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a }))
    }
}
