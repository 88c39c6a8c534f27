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
    case unknownScheme(String)

    public var messageKey: String {
        switch self {
        case .planExists: "plan.exists"
        case .unknownScheme: "plan.unknown_scheme"
        }
    }

    public var messageArguments: [String] {
        switch self {
        case .planExists(let code), .unknownScheme(let code): [code]
        }
    }
}

/// Stores a whole plan document in one transaction: it is there entirely or not at all.
public enum PlanWriter {
    @discardableResult
    public static func insert(_ document: PlanDocument, on database: any Database) async throws -> UUID {
        let problems = document.problems()
        guard problems.isEmpty else { throw InvalidPlanError(problems: problems) }
        return try await database.transaction { database in
            try await write(document, on: database)
        }
    }

    private static func write(_ document: PlanDocument, on database: any Database) async throws -> UUID {
        if try await ActionPlanModel.query(on: database).filter(\.$code == document.code).count() > 0 {
            throw PlanWriteError.planExists(document.code)
        }
        guard let scheme = try await SchemeStore.find(code: document.scoringScheme, on: database) else {
            throw PlanWriteError.unknownScheme(document.scoringScheme)
        }
        let organisationIDs = try await upsertOrganisations(document.organisations, on: database)
        let plan = ActionPlanModel(code: document.code, title: document.title, periodStart: document.periodStart.iso,
                                   periodEnd: document.periodEnd.iso, schemeID: try scheme.requireID())
        try await plan.create(on: database)
        let planID = try plan.requireID()

        var semesterIDs: [String: UUID] = [:]
        for semester in document.semesters {
            let model = PlanSemesterModel(planID: planID, code: semester.code, month: semester.month,
                                          startDate: semester.startDay.iso, endDate: semester.endDay.iso)
            try await model.create(on: database)
            semesterIDs[semester.code] = try model.requireID()
        }

        for record in document.commitments {
            let commitment = CommitmentModel(planID: planID, record: record)
            try await commitment.create(on: database)
            let commitmentID = try commitment.requireID()
            for role in CommitmentRole.allCases {
                for (position, name) in record.organisations(in: role).enumerated() {
                    try await CommitmentOrganisationModel(commitmentID: commitmentID, organisationID: organisationIDs[name]!,
                                                          role: role, position: position).create(on: database)
                }
            }
            for (position, contact) in record.contacts.enumerated() {
                try await ContactModel(commitmentID: commitmentID, position: position, record: contact).create(on: database)
            }
            for (position, indicator) in record.indicators.enumerated() {
                try await IndicatorModel(commitmentID: commitmentID, position: position, record: indicator).create(on: database)
            }
            for (goalPosition, goalRecord) in record.goals.enumerated() {
                let goal = GoalModel(commitmentID: commitmentID, position: goalPosition, text: goalRecord.text)
                try await goal.create(on: database)
                for (measurePosition, measureRecord) in goalRecord.measures.enumerated() {
                    let measure = SuccessMeasureModel(
                        goalID: try goal.requireID(), position: measurePosition, text: measureRecord.text,
                        responsibleID: organisationIDs[measureRecord.responsible]!,
                        expectedEvidence: measureRecord.expectedEvidence)
                    try await measure.create(on: database)
                    for target in measureRecord.targets {
                        try await TargetModel(measureID: try measure.requireID(), semesterID: semesterIDs[target.semester]!,
                                              text: target.text).create(on: database)
                    }
                }
            }
        }
        return planID
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
