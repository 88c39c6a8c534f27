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
            TargetReportModel.outcome(status: report?.status, submitted: report?.submittedAt != nil, score: report?.score,
                                      notApplicable: report?.notApplicable ?? false)
        }
    }

    let commitments: [CommitmentModel]
    /// The commitments' goals and success measures, in matrix order, including any without targets in the semesters read.
    var goals: [GoalModel] = []
    var measures: [SuccessMeasureModel] = []
    /// Every target of the semesters read, in matrix order (commitment, goal, measure, semester).
    let rows: [Row]

    func rows(of commitmentID: UUID) -> [Row] { rowsByCommitment[commitmentID] ?? [] }
    private let rowsByCommitment: [UUID: [Row]]

    /// - Parameters:
    ///   - semesters: the plan's semesters whose targets (and reports) to read.
    ///   - commitmentID: only this commitment, when given.
    static func load(planID: UUID, semesters: [PlanSemesterModel], commitmentID: UUID? = nil, on database: any Database) async throws -> PlanMatrix {
        try await load(planIDs: [planID], semesters: semesters, commitmentID: commitmentID, on: database)[planID]
            ?? PlanMatrix(commitments: [], rows: [], rowsByCommitment: [:])
    }

    /// The matrices of several plans in the same few queries, by plan id.
    /// - Parameter semesters: the semesters whose targets (and reports) to read, of any of the plans.
    static func load(planIDs: [UUID], semesters: [PlanSemesterModel], commitmentID: UUID? = nil,
                     on database: any Database) async throws -> [UUID: PlanMatrix] {
        guard !planIDs.isEmpty else { return [:] }
        let commitments = try await inSlices(planIDs) { slice in
            var query = CommitmentModel.query(on: database).filter(\.$plan.$id ~~ slice)
            if let commitmentID { query = query.filter(\.$id == commitmentID) }
            return try await query.all()
        }
        let goals = try await inSlices(planIDs) { slice in
            var query = GoalModel.query(on: database).join(CommitmentModel.self, on: \GoalModel.$commitment.$id == \CommitmentModel.$id)
                .filter(CommitmentModel.self, \.$plan.$id ~~ slice)
            if let commitmentID { query = query.filter(\.$commitment.$id == commitmentID) }
            return try await query.all()
        }
        let measures = try await inSlices(planIDs) { slice in
            var query = SuccessMeasureModel.query(on: database)
                .join(GoalModel.self, on: \SuccessMeasureModel.$goal.$id == \GoalModel.$id)
                .join(CommitmentModel.self, on: \GoalModel.$commitment.$id == \CommitmentModel.$id)
                .filter(CommitmentModel.self, \.$plan.$id ~~ slice)
            if let commitmentID { query = query.filter(GoalModel.self, \.$commitment.$id == commitmentID) }
            return try await query.all()
        }
        let semesterIDs = semesters.compactMap(\.id)
        let targets = try await inSlices(semesterIDs) { try await TargetModel.query(on: database).filter(\.$semester.$id ~~ $0).all() }
        let reports = try await inSlices(semesterIDs) { slice in
            try await TargetReportModel.query(on: database)
                .join(TargetModel.self, on: \TargetReportModel.$target.$id == \TargetModel.$id)
                .filter(TargetModel.self, \.$semester.$id ~~ slice).all()
        }
        // Only the organisations the measures name: a plan names a few dozen of the installation's hundreds.
        let organisations = try await inSlices(Array(Set(measures.map(\.$responsible.id)))) {
            try await OrganisationModel.query(on: database).filter(\.$id ~~ $0).all()
        }

        let commitmentByID = Dictionary(commitments.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let goalByID = Dictionary(goals.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let measureByID = Dictionary(measures.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let organisationByID = Dictionary(organisations.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let semesterByID = Dictionary(semesters.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let reportByTarget = Dictionary(reports.map { ($0.$target.id, $0) }, uniquingKeysWith: { a, _ in a })

        var rowsByPlan: [UUID: [Row]] = [:]
        for target in targets {
            guard let measure = measureByID[target.$measure.id], let goal = goalByID[measure.$goal.id],
                  let commitment = commitmentByID[goal.$commitment.id], let responsible = organisationByID[measure.$responsible.id],
                  let semester = semesterByID[target.$semester.id] else { continue }
            rowsByPlan[commitment.$plan.id, default: []].append(
                Row(commitment: commitment, goal: goal, measure: measure, responsible: responsible, target: target, semester: semester,
                    report: reportByTarget[target.id!]))
        }
        let commitmentsByPlan = Dictionary(grouping: commitments, by: { $0.$plan.id })
        let planOfGoal = Dictionary(goals.compactMap { goal in commitmentByID[goal.$commitment.id].map { (goal.id!, $0.$plan.id) } },
                                    uniquingKeysWith: { a, _ in a })
        let goalsByPlan = Dictionary(grouping: goals.filter { planOfGoal[$0.id!] != nil }, by: { planOfGoal[$0.id!]! })
        let measuresByPlan = Dictionary(grouping: measures.filter { planOfGoal[$0.$goal.id] != nil }, by: { planOfGoal[$0.$goal.id]! })
        var matrices: [UUID: PlanMatrix] = [:]
        for planID in planIDs {
            let rows = (rowsByPlan[planID] ?? []).sorted { ($0.commitment.number, $0.goal.position, $0.measure.position, $0.semester.month)
                < ($1.commitment.number, $1.goal.position, $1.measure.position, $1.semester.month) }
            var matrix = PlanMatrix(commitments: (commitmentsByPlan[planID] ?? []).sorted { $0.number < $1.number }, rows: rows,
                                    rowsByCommitment: Dictionary(grouping: rows, by: { $0.commitment.id! }))
            let number = Dictionary(matrix.commitments.map { ($0.id!, $0.number) }, uniquingKeysWith: { a, _ in a })
            matrix.goals = (goalsByPlan[planID] ?? []).sorted { (number[$0.$commitment.id] ?? 0, $0.position) < (number[$1.$commitment.id] ?? 0, $1.position) }
            let goalOrder = Dictionary(matrix.goals.enumerated().map { ($1.id!, $0) }, uniquingKeysWith: { a, _ in a })
            matrix.measures = (measuresByPlan[planID] ?? [])
                .sorted { (goalOrder[$0.$goal.id] ?? 0, $0.position) < (goalOrder[$1.$goal.id] ?? 0, $1.position) }
            matrices[planID] = matrix
        }
        return matrices
    }
}
