import Fluent
import Foundation
import PantauDomain
import SQLKit

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
    ///   - jurisdictionID: the government the plan belongs to; a replaced draft keeps its own, a new plan is national.
    @discardableResult
    public static func insert(_ document: PlanDocument, status: PlanStatus = .adopted, replacingDraft: Bool = false,
                              jurisdictionID: UUID? = nil,
                              on database: any Database, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> UUID {
        let problems = document.problems()
        guard problems.isEmpty else { throw InvalidPlanError(problems: problems) }
        return try await database.transaction { database in
            var jurisdictionID = jurisdictionID
            if let existing = try await ActionPlanModel.query(on: database).filter(\.$code == document.code).first() {
                jurisdictionID = jurisdictionID ?? existing.$jurisdiction.id
                guard replacingDraft else { throw PlanWriteError.planExists(document.code) }
                guard existing.status == .draft else { throw PlanWriteError.planNotDraft(document.code) }
                let planID = try existing.requireID()
                guard try await ProposalModel.query(on: database).filter(\.$plan.$id == planID).count() == 0,
                      try await ConsultationCommentModel.query(on: database).filter(\.$plan.$id == planID).count() == 0 else {
                    throw PlanWriteError.draftInCoCreation(document.code)
                }
                try await existing.delete(on: database)
            }
            let owner: UUID
            if let jurisdictionID { owner = jurisdictionID } else { owner = try await JurisdictionModel.national(on: database).requireID() }
            return try await withLargePageCache(on: database) {
                try await write(document, status: status, jurisdictionID: owner, on: database, progress: progress)
            }
        }
    }

    private static func write(_ document: PlanDocument, status: PlanStatus, jurisdictionID: UUID, on database: any Database,
                              progress: (@Sendable (Int, Int) -> Void)?) async throws -> UUID {
        guard let scheme = try await SchemeStore.find(code: document.scoringScheme, on: database) else {
            throw PlanWriteError.unknownScheme(document.scoringScheme)
        }
        let organisationIDs = try await upsertOrganisations(document.organisations, on: database)
        let plan = ActionPlanModel(code: document.code, title: document.title, periodStart: document.periodStart.iso,
                                   periodEnd: document.periodEnd.iso, schemeID: try scheme.requireID(), status: status)
        plan.$jurisdiction.id = jurisdictionID
        try await plan.create(on: database)
        let planID = try plan.requireID()

        var semesterIDs: [String: UUID] = [:]
        for semester in document.semesters {
            let model = PlanSemesterModel(planID: planID, code: semester.code, month: semester.month,
                                          startDate: semester.startDay.iso, endDate: semester.endDay.iso)
            try await model.create(on: database)
            semesterIDs[semester.code] = try model.requireID()
        }

        // Rows are built with their ids first and written with multi-row INSERTs: a national plan has thousands of
        // targets, a big regional programme a hundred thousand. Their ids grow, so each index is appended to.
        var ids = TimeOrderedUUIDs()
        var commitments: [CommitmentModel] = []
        var participants: [[BulkInsert.Value]] = []
        var contacts: [ContactModel] = []
        var indicators: [IndicatorModel] = []
        var goals: [[BulkInsert.Value]] = []
        var measures: [[BulkInsert.Value]] = []
        var targets: [[BulkInsert.Value]] = []
        for record in document.commitments {
            let commitment = CommitmentModel(planID: planID, record: record)
            let commitmentID = ids.next()
            commitment.id = commitmentID
            commitments.append(commitment)
            for role in CommitmentRole.allCases {
                for (position, name) in record.organisations(in: role).enumerated() {
                    participants.append([.id(ids.next()), .id(commitmentID), .id(organisationIDs[name]!), .text(role.rawValue),
                                         .integer(position)])
                }
            }
            contacts += record.contacts.enumerated().map { ContactModel(commitmentID: commitmentID, position: $0, record: $1) }
            indicators += record.indicators.enumerated().map { IndicatorModel(commitmentID: commitmentID, position: $0, record: $1) }
            for (goalPosition, goalRecord) in record.goals.enumerated() {
                let goalID = ids.next()
                goals.append([.id(goalID), .id(commitmentID), .integer(goalPosition), .text(goalRecord.text)])
                for (measurePosition, measureRecord) in goalRecord.measures.enumerated() {
                    let measureID = ids.next()
                    measures.append([.id(measureID), .id(goalID), .integer(measurePosition), .text(measureRecord.text),
                                     .id(organisationIDs[measureRecord.responsible]!), .text(measureRecord.expectedEvidence)])
                    for target in measureRecord.targets {
                        targets.append([.id(ids.next()), .id(measureID), .id(semesterIDs[target.semester]!), .text(target.text)])
                    }
                }
            }
        }
        try await createInBatches(commitments, on: database)
        try await BulkInsert.rows(into: CommitmentOrganisationModel.schema,
                                  columns: ["id", "commitment_id", "organisation_id", "role", "position"], participants, on: database)
        try await createInBatches(contacts, on: database)
        try await createInBatches(indicators, on: database)
        try await BulkInsert.rows(into: GoalModel.schema, columns: ["id", "commitment_id", "position", "text"], goals, on: database)
        try await BulkInsert.rows(into: SuccessMeasureModel.schema,
                                  columns: ["id", "goal_id", "position", "text", "responsible_organisation_id", "expected_evidence"],
                                  measures, on: database)
        let total = targets.count
        try await BulkInsert.rows(into: TargetModel.schema, columns: ["id", "measure_id", "semester_id", "text"], targets,
                                  on: database) { written in progress?(written, total) }
        return planID
    }

    /// SQLite's default page cache (2 MB) spills a big plan's index pages to disk in the middle of the transaction; the
    /// connection gets 128 MB for the write and its default back afterwards.
    private static func withLargePageCache<T>(on database: any Database, _ body: () async throws -> T) async throws -> T {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "sqlite" else { return try await body() }
        try await sql.raw("PRAGMA cache_size = -131072").run()
        do {
            let result = try await body()
            try await sql.raw("PRAGMA cache_size = -2000").run()
            return result
        } catch {
            try? await sql.raw("PRAGMA cache_size = -2000").run()
            throw error
        }
    }

    private static func createInBatches<M: Model>(_ models: [M], on database: any Database) async throws {
        for batch in stride(from: 0, to: models.count, by: batchSize) {
            try await Array(models[batch..<min(batch + batchSize, models.count)]).create(on: database)
        }
    }

    /// Organisations are shared between plans: one ICW, one KemenPAN RB. An existing name is reused. Looked up and
    /// created a few hundred at a time: one statement per organisation was most of a big plan's import before its rows.
    private static func upsertOrganisations(_ records: [OrganisationRecord], on database: any Database) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        let chunk = 500
        for start in stride(from: 0, to: records.count, by: chunk) {
            let names = records[start..<min(start + chunk, records.count)].map(\.name)
            for existing in try await OrganisationModel.query(on: database).filter(\.$name ~~ names).all() {
                ids[existing.name] = try existing.requireID()
            }
        }
        var created: [OrganisationModel] = []
        for record in records where ids[record.name] == nil {
            let model = OrganisationModel(id: UUID.random(), name: record.name, acronym: record.acronym, kind: record.kind)
            ids[record.name] = model.id
            created.append(model)
        }
        for start in stride(from: 0, to: created.count, by: chunk) {
            try await Array(created[start..<min(start + chunk, created.count)]).create(on: database)
        }
        return ids
    }
}
