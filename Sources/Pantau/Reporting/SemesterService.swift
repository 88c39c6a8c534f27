import Fluent
import Foundation
import PantauDomain
import Vapor

/// The secretariat's side of a semester's windows: setting them and reopening reporting for one organisation.
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

    static func setWindow(semesterID: UUID, window: ReportingWindow, by user: CurrentUser, on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let semester = try await PlanSemesterModel.find(semesterID, on: db) else { throw AppError.notFound(what: "semester") }
            guard user.caller.may(.manageWindows, plan: semester.$plan.id) else { throw AppError.forbidden }
            try await PlanArchive.ensureOpen(planID: semester.$plan.id, on: db)
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
            guard let semester = try await PlanSemesterModel.find(semesterID, on: db) else { throw AppError.notFound(what: "semester") }
            guard user.caller.may(.manageWindows, plan: semester.$plan.id) else { throw AppError.forbidden }
            try await PlanArchive.ensureOpen(planID: semester.$plan.id, on: db)
            guard let window = try await ReportingWindowModel.query(on: db).filter(\.$semester.$id == semesterID).first() else {
                throw AppError.conflict(key: "report.window_not_set", arguments: [""])
            }
            guard let organisation = try await OrganisationModel.find(organisationID, on: db) else { throw AppError.notFound(what: "organisation") }
            // A published semester is frozen: nobody reports into it again.
            guard try await !isPublished(semesterID: semesterID, on: db) else { throw ReportLifecycle.Refusal.semesterPublished }
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

    static func isPublished(semesterID: UUID, on database: any Database) async throws -> Bool {
        try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id == semesterID).count() > 0
    }
}
