import Fluent
import Foundation
import PantauDomain

/// A plan document that cannot be stored, with every problem found in it.
public struct InvalidPlanError: Error, LocalizableError {
    public let problems: [PlanProblem]

    public var messageKey: String { "plan.invalid" }
    public var messageArguments: [String] { ["\(problems.count)"] }
}

public enum PlanWriteError: Error, Equatable, LocalizableError {
    case planExists(String)
    case planNotDraft(String)
    case unknownScheme(String)
    /// Replacing the draft would delete its proposals and consultation comments.
    case draftInCoCreation(String)

    public var messageKey: String {
        switch self {
        case .draftInCoCreation: "plan.draft_in_cocreation"
        case .planExists: "plan.exists"
        case .planNotDraft: "plan.not_draft"
        case .unknownScheme: "plan.unknown_scheme"
        }
    }

    public var messageArguments: [String] {
        switch self {
        case .planExists(let code), .planNotDraft(let code), .unknownScheme(let code), .draftInCoCreation(let code): [code]
        }
    }
}

/// Where a plan is in its life: a draft can still be replaced wholesale; an adopted plan cannot.
public enum PlanStatus: String, Codable, CaseIterable, Sendable {
    case draft
    case adopted
}

/// Stores a whole plan document in one transaction: it is there entirely or not at all.
public enum PlanWriter {
    /// Rows per INSERT statement: well under SQLite's limit on bound values.
    static let batchSize = 500

    /// - Parameters:
    ///   - replacingDraft: an existing plan with the same code is replaced, if it is a draft.
    ///   - progress: told how many targets have been written, out of how many.
    @discardableResult
    public static func insert(_ document: PlanDocument, status: PlanStatus = .adopted, replacingDraft: Bool = false,
                              on database: any Database, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> UUID {
        let problems = document.problems()
        guard problems.isEmpty else { throw InvalidPlanError(problems: problems) }
        return try await database.transaction { database in
            if let existing = try await ActionPlanModel.query(on: database).filter(\.$code == document.code).first() {
                guard replacingDraft else { throw PlanWriteError.planExists(document.code) }
                guard existing.status == .draft else { throw PlanWriteError.planNotDraft(document.code) }
                let planID = try existing.requireID()
                guard try await ProposalModel.query(on: database).filter(\.$plan.$id == planID).count() == 0,
                      try await ConsultationCommentModel.query(on: database).filter(\.$plan.$id == planID).count() == 0 else {
                    throw PlanWriteError.draftInCoCreation(document.code)
                }
                try await existing.delete(on: database)
            }
            return try await write(document, status: status, on: database, progress: progress)
        }
    }

    private static func write(_ document: PlanDocument, status: PlanStatus, on database: any Database,
                              progress: (@Sendable (Int, Int) -> Void)?) async throws -> UUID {
        guard let scheme = try await SchemeStore.find(code: document.scoringScheme, on: database) else {
            throw PlanWriteError.unknownScheme(document.scoringScheme)
        }
        let organisationIDs = try await upsertOrganisations(document.organisations, on: database)
        let plan = ActionPlanModel(code: document.code, title: document.title, periodStart: document.periodStart.iso,
                                   periodEnd: document.periodEnd.iso, schemeID: try scheme.requireID(), status: status)
        try await plan.create(on: database)
        let planID = try plan.requireID()

        var semesterIDs: [String: UUID] = [:]
        for semester in document.semesters {
            let model = PlanSemesterModel(planID: planID, code: semester.code, month: semester.month,
                                          startDate: semester.startDay.iso, endDate: semester.endDay.iso)
            try await model.create(on: database)
            semesterIDs[semester.code] = try model.requireID()
        }

        // Rows are built with their ids first and written in batches: a national plan has thousands of targets.
        var commitments: [CommitmentModel] = []
        var participants: [CommitmentOrganisationModel] = []
        var contacts: [ContactModel] = []
        var indicators: [IndicatorModel] = []
        var goals: [GoalModel] = []
        var measures: [SuccessMeasureModel] = []
        var targets: [TargetModel] = []
        for record in document.commitments {
            let commitment = CommitmentModel(planID: planID, record: record)
            commitment.id = UUID()
            commitments.append(commitment)
            let commitmentID = commitment.id!
            for role in CommitmentRole.allCases {
                for (position, name) in record.organisations(in: role).enumerated() {
                    participants.append(CommitmentOrganisationModel(commitmentID: commitmentID, organisationID: organisationIDs[name]!,
                                                                    role: role, position: position))
                }
            }
            contacts += record.contacts.enumerated().map { ContactModel(commitmentID: commitmentID, position: $0, record: $1) }
            indicators += record.indicators.enumerated().map { IndicatorModel(commitmentID: commitmentID, position: $0, record: $1) }
            for (goalPosition, goalRecord) in record.goals.enumerated() {
                let goal = GoalModel(commitmentID: commitmentID, position: goalPosition, text: goalRecord.text)
                goal.id = UUID()
                goals.append(goal)
                for (measurePosition, measureRecord) in goalRecord.measures.enumerated() {
                    let measure = SuccessMeasureModel(
                        goalID: goal.id!, position: measurePosition, text: measureRecord.text,
                        responsibleID: organisationIDs[measureRecord.responsible]!,
                        expectedEvidence: measureRecord.expectedEvidence)
                    measure.id = UUID()
                    measures.append(measure)
                    targets += measureRecord.targets.map {
                        TargetModel(measureID: measure.id!, semesterID: semesterIDs[$0.semester]!, text: $0.text)
                    }
                }
            }
        }
        try await createInBatches(commitments, on: database)
        try await createInBatches(participants, on: database)
        try await createInBatches(contacts, on: database)
        try await createInBatches(indicators, on: database)
        try await createInBatches(goals, on: database)
        try await createInBatches(measures, on: database)
        var written = 0
        for batch in stride(from: 0, to: targets.count, by: batchSize) {
            let slice = Array(targets[batch..<min(batch + batchSize, targets.count)])
            try await slice.create(on: database)
            written += slice.count
            progress?(written, targets.count)
        }
        return planID
    }

    private static func createInBatches<M: Model>(_ models: [M], on database: any Database) async throws {
        for batch in stride(from: 0, to: models.count, by: batchSize) {
            try await Array(models[batch..<min(batch + batchSize, models.count)]).create(on: database)
        }
    }

    /// Organisations are shared between plans: one ICW, one KemenPAN RB. An existing name is reused.
    private static func upsertOrganisations(_ records: [OrganisationRecord], on database: any Database) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        for record in records {
            if let existing = try await OrganisationModel.query(on: database).filter(\.$name == record.name).first() {
                ids[record.name] = try existing.requireID()
            } else {
                let model = OrganisationModel(name: record.name, acronym: record.acronym, kind: record.kind)
                try await model.create(on: database)
                ids[record.name] = try model.requireID()
            }
        }
        return ids
    }
}
