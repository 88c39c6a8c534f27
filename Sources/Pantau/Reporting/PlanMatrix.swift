import Fluent
import Foundation
import PantauDomain

/// A plan's matrix and its reports for some semesters, read in a fixed number of flat queries and grouped by id
/// in Swift, so that reading it grows linearly with the plan (Fluent's eager loader matches children to parents
/// by scanning).
struct PlanMatrix {
    struct Row {
        let commitment: CommitmentModel
        let goal: GoalModel
        let measure: SuccessMeasureModel
        let responsible: OrganisationModel
        let target: TargetModel
        let semester: PlanSemesterModel
        let report: TargetReportModel?

        /// What the period's results know of this target: reported once handed in, scored once scored.
        var outcome: TargetOutcome {
            guard let report else { return .notReported }
            return TargetOutcome(reported: report.submittedAt != nil || report.status == .submitted || report.status == .scored,
                                 score: report.status == .scored ? report.domainScore : nil)
        }
    }

    let commitments: [CommitmentModel]
    /// Every target of the semesters read, in matrix order (commitment, goal, measure, semester).
    let rows: [Row]

    func rows(of commitmentID: UUID) -> [Row] { rowsByCommitment[commitmentID] ?? [] }
    private let rowsByCommitment: [UUID: [Row]]

    /// - Parameters:
    ///   - semesters: the plan's semesters whose targets (and reports) to read.
    ///   - commitmentID: only this commitment, when given.
    static func load(planID: UUID, semesters: [PlanSemesterModel], commitmentID: UUID? = nil, on database: any Database) async throws -> PlanMatrix {
        var commitmentQuery = CommitmentModel.query(on: database).filter(\.$plan.$id == planID)
        if let commitmentID { commitmentQuery = commitmentQuery.filter(\.$id == commitmentID) }
        let commitments = try await commitmentQuery.sort(\.$number).all()
        var goalQuery = GoalModel.query(on: database).join(CommitmentModel.self, on: \GoalModel.$commitment.$id == \CommitmentModel.$id)
            .filter(CommitmentModel.self, \.$plan.$id == planID)
        if let commitmentID { goalQuery = goalQuery.filter(\.$commitment.$id == commitmentID) }
        let goals = try await goalQuery.all()
        var measureQuery = SuccessMeasureModel.query(on: database)
            .join(GoalModel.self, on: \SuccessMeasureModel.$goal.$id == \GoalModel.$id)
            .join(CommitmentModel.self, on: \GoalModel.$commitment.$id == \CommitmentModel.$id)
            .filter(CommitmentModel.self, \.$plan.$id == planID)
        if let commitmentID { measureQuery = measureQuery.filter(GoalModel.self, \.$commitment.$id == commitmentID) }
        let measures = try await measureQuery.all()
        let semesterIDs = semesters.compactMap(\.id)
        let targets = semesterIDs.isEmpty ? [] : try await TargetModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).all()
        let reports = semesterIDs.isEmpty ? [] : try await TargetReportModel.query(on: database)
            .join(TargetModel.self, on: \TargetReportModel.$target.$id == \TargetModel.$id)
            .filter(TargetModel.self, \.$semester.$id ~~ semesterIDs).all()
        let organisations = try await OrganisationModel.query(on: database).all()

        let commitmentByID = Dictionary(commitments.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let goalByID = Dictionary(goals.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let measureByID = Dictionary(measures.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let organisationByID = Dictionary(organisations.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let semesterByID = Dictionary(semesters.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let reportByTarget = Dictionary(reports.map { ($0.$target.id, $0) }, uniquingKeysWith: { a, _ in a })

        var rows: [Row] = []
        rows.reserveCapacity(targets.count)
        for target in targets {
            guard let measure = measureByID[target.$measure.id], let goal = goalByID[measure.$goal.id],
                  let commitment = commitmentByID[goal.$commitment.id], let responsible = organisationByID[measure.$responsible.id],
                  let semester = semesterByID[target.$semester.id] else { continue }
            rows.append(Row(commitment: commitment, goal: goal, measure: measure, responsible: responsible, target: target,
                            semester: semester, report: reportByTarget[target.id!]))
        }
        rows.sort { ($0.commitment.number, $0.goal.position, $0.measure.position, $0.semester.month)
            < ($1.commitment.number, $1.goal.position, $1.measure.position, $1.semester.month) }
        return PlanMatrix(commitments: commitments, rows: rows, rowsByCommitment: Dictionary(grouping: rows, by: { $0.commitment.id! }))
    }
}
