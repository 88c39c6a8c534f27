import Fluent
import Foundation
import PantauDomain

/// Reads a stored plan back into a whole `PlanDocument`, as exports and round trips need it.
public enum PlanReader {
    public static func document(code: String, on database: any Database) async throws -> PlanDocument {
        let found = try await ActionPlanModel.query(on: database)
            .filter(\.$code == code)
            .with(\.$semesters)
            .with(\.$scheme)
            .with(\.$commitments) { commitment in
                commitment
                    .with(\.$participants) { $0.with(\.$organisation) }
                    .with(\.$contacts)
                    .with(\.$indicators)
                    .with(\.$goals) { $0.with(\.$measures) { $0.with(\.$responsible).with(\.$targets) } }
            }
            .first()
        guard let plan = found else { throw AppError.planNotFound(code: code) }

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

        let commitments = plan.commitments.sorted { $0.number < $1.number }.map { commitment -> CommitmentRecord in
            func names(_ role: CommitmentRole) -> [String] {
                commitment.participants.filter { $0.role == role }.sorted { $0.position < $1.position }.map { use($0.organisation) }
            }
            let goals = commitment.goals.sorted { $0.position < $1.position }.map { goal in
                GoalRecord(text: goal.text, measures: goal.measures.sorted { $0.position < $1.position }.map { measure in
                    let targets = measure.targets
                        .compactMap { target in semesterCodes[target.$semester.id].map { (code: $0, text: target.text) } }
                        .sorted { $0.code < $1.code }
                        .map { TargetRecord(semester: $0.code, text: $0.text) }
                    return MeasureRecord(text: measure.text, responsible: use(measure.responsible),
                                         expectedEvidence: measure.expectedEvidence, targets: targets)
                })
            }
            return CommitmentRecord(
                number: commitment.number, title: commitment.title, theme: commitment.theme,
                description: commitment.descriptionRecord,
                proposers: names(.proposer), responsible: names(.responsible), related: names(.related), partners: names(.partner),
                planningDirectorate: commitment.planningDirectorate,
                contacts: commitment.contacts.sorted { $0.position < $1.position }.map(\.record),
                start: commitment.startMonth.flatMap(YearMonth.init(iso:)), end: commitment.endMonth.flatMap(YearMonth.init(iso:)),
                indicators: commitment.indicators.sorted { $0.position < $1.position }.map(\.record),
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
