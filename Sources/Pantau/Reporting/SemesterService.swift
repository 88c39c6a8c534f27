import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat's side of a semester: its windows, reopenings, commitment assessments and publication.
public enum SemesterService {
    struct WindowState: Codable, Sendable {
        let reportOpens: String
        let reportCloses: String
        let verifyOpens: String
        let verifyCloses: String
    }

    struct ExtensionState: Codable, Sendable {
        let organisation: String
        let until: String
        let reason: String
    }

    struct AssessmentState: Codable, Sendable {
        let scoreOverride: Int?
        let overrideReason: String
        let coCreationRating: CoCreationRating?
        let coCreationJustification: String
    }

    struct PublicationState: Codable, Sendable {
        let semester: String
        let publishedAt: Date
    }

    static func setWindow(semesterID: UUID, window: ReportingWindow, by user: CurrentUser, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard try await PlanSemesterModel.find(semesterID, on: db) != nil else { throw AppError.notFound(what: "semester") }
            let existing = try await ReportingWindowModel.query(on: db).filter(\.$semester.$id == semesterID).first()
            let model = existing ?? ReportingWindowModel()
            let before = existing.map { WindowState(reportOpens: $0.reportOpens, reportCloses: $0.reportCloses, verifyOpens: $0.verifyOpens, verifyCloses: $0.verifyCloses) }
            model.$semester.id = semesterID
            model.reportOpens = window.reportOpens.iso
            model.reportCloses = window.reportCloses.iso
            model.verifyOpens = window.verifyOpens.iso
            model.verifyCloses = window.verifyCloses.iso
            try await model.save(on: db)
            let after = WindowState(reportOpens: model.reportOpens, reportCloses: model.reportCloses, verifyOpens: model.verifyOpens, verifyCloses: model.verifyCloses)
            return ((), [AuditChange(action: "window.set", objectType: "semester", objectID: semesterID.uuidString, before: before, after: after)])
        }
    }

    static func reopen(semesterID: UUID, organisationID: UUID, until: CalendarDay, reason: String, by user: CurrentUser, on database: any Database) async throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw AppError.invalid(key: "window.reason_required", arguments: []) }
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let window = try await ReportingWindowModel.query(on: db).filter(\.$semester.$id == semesterID).first() else {
                throw AppError.conflict(key: "report.window_not_set", arguments: [""])
            }
            guard let organisation = try await OrganisationModel.find(organisationID, on: db) else { throw AppError.notFound(what: "organisation") }
            let existing = try await WindowExtensionModel.query(on: db).filter(\.$window.$id == window.id!)
                .filter(\.$organisation.$id == organisationID).first()
            let model = existing ?? WindowExtensionModel()
            model.$window.id = window.id!
            model.$organisation.id = organisationID
            model.until = until.iso
            model.reason = reason
            try await model.save(on: db)
            return ((), [AuditChange(action: "window.reopen", objectType: "semester", objectID: semesterID.uuidString,
                                     before: Optional<ExtensionState>.none,
                                     after: ExtensionState(organisation: organisation.name, until: until.iso, reason: reason))])
        }
    }

    static func assess(commitmentID: UUID, semesterID: UUID, scoreOverride: Int?, overrideReason: String, rating: CoCreationRating?,
                       justification: String, by user: CurrentUser, on database: any Database) async throws {
        let overrideReason = overrideReason.trimmingCharacters(in: .whitespacesAndNewlines)
        let justification = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        if let scoreOverride {
            guard Score.range.contains(scoreOverride) else { throw AppError.invalid(key: "score.out_of_range", arguments: ["\(scoreOverride)"]) }
            guard !overrideReason.isEmpty else { throw AppError.invalid(key: "assessment.override_reason_required", arguments: []) }
        }
        if rating != nil, justification.isEmpty { throw AppError.invalid(key: "assessment.justification_required", arguments: []) }
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard try await CommitmentModel.find(commitmentID, on: db) != nil,
                  try await PlanSemesterModel.find(semesterID, on: db) != nil else { throw AppError.notFound(what: "commitment") }
            let existing = try await CommitmentAssessmentModel.query(on: db).filter(\.$commitment.$id == commitmentID)
                .filter(\.$semester.$id == semesterID).first()
            let model = existing ?? CommitmentAssessmentModel()
            let before = existing.map { AssessmentState(scoreOverride: $0.scoreOverride, overrideReason: $0.overrideReason,
                                                        coCreationRating: $0.coCreationRating, coCreationJustification: $0.coCreationJustification) }
            model.$commitment.id = commitmentID
            model.$semester.id = semesterID
            model.scoreOverride = scoreOverride
            model.overrideReason = scoreOverride == nil ? "" : overrideReason
            model.coCreationRating = rating
            model.coCreationJustification = rating == nil ? "" : justification
            try await model.save(on: db)
            let after = AssessmentState(scoreOverride: model.scoreOverride, overrideReason: model.overrideReason,
                                        coCreationRating: model.coCreationRating, coCreationJustification: model.coCreationJustification)
            return ((), [AuditChange(action: "assessment.set", objectType: "commitment", objectID: commitmentID.uuidString,
                                     before: before, after: after, reason: scoreOverride == nil ? "" : overrideReason)])
        }
    }

    static func publish(semesterID: UUID, by user: CurrentUser, on database: any Database) async throws {
        let planCode = try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let semester = try await PlanSemesterModel.query(on: db).filter(\.$id == semesterID).with(\.$plan).first() else {
                throw AppError.notFound(what: "semester")
            }
            guard try await SemesterPublicationModel.query(on: db).filter(\.$semester.$id == semesterID).count() == 0 else {
                throw AppError.conflict(key: "semester.already_published", arguments: [semester.code])
            }
            let publication = SemesterPublicationModel()
            publication.$semester.id = semesterID
            publication.publishedAt = Date()
            publication.publishedBy = user.name
            try await publication.create(on: db)
            return (semester.plan.code, [AuditChange(action: "semester.publish", objectType: "semester", objectID: semesterID.uuidString,
                                                     before: Optional<PublicationState>.none,
                                                     after: PublicationState(semester: semester.code, publishedAt: publication.publishedAt))])
        }
        try await SearchIndex.rebuild(planCode: planCode, on: database)
    }

    static func isPublished(semesterID: UUID, on database: any Database) async throws -> Bool {
        try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id == semesterID).count() > 0
    }
}
