import Fluent
import Foundation
import PantauDomain
import Vapor

/// The semester cycle's rules, shared by the pages and the API: who may write which report when, and
/// what each step changes. Every change goes through the audit history.
public enum ReportService {
    /// What the audit history keeps of a report.
    struct ReportState: Codable, Sendable {
        let status: ReportStatus
        let achievement: String
        let progress: Int
        let isLate: Bool
        let score: Int?
        let notApplicable: Bool
        let notApplicableReason: String

        init(_ report: TargetReportModel) {
            status = report.status
            achievement = report.achievement
            progress = report.progress
            isLate = report.isLate
            score = report.score
            notApplicable = report.notApplicable
            notApplicableReason = report.notApplicableReason
        }
    }

    struct EvidenceState: Codable, Sendable {
        let fileName: String
        let url: String?
        let sha256: String?
        let size: Int
        let isPublic: Bool
    }

    struct MessageState: Codable, Sendable {
        let body: String
    }

    /// A target with everything needed to decide on a report of it.
    struct TargetContext {
        let target: TargetModel
        let measure: SuccessMeasureModel
        let semester: PlanSemesterModel
        let window: ReportingWindowModel?
        let semesterPublished: Bool
    }

    static func context(targetID: UUID, on database: any Database) async throws -> TargetContext {
        guard let target = try await TargetModel.query(on: database).filter(\.$id == targetID)
            .with(\.$measure).with(\.$semester).first() else { throw AppError.notFound(what: "target") }
        let window = try await ReportingWindowModel.query(on: database).filter(\.$semester.$id == target.$semester.id)
            .with(\.$extensions).first()
        let published = try await SemesterService.isPublished(semesterID: target.$semester.id, on: database)
        return TargetContext(target: target, measure: target.measure, semester: target.semester, window: window, semesterPublished: published)
    }

    /// The organisation a target's report belongs to (`ReportLifecycle.owner`): the one that wrote it, else the one
    /// responsible for the measure now.
    static func owner(of context: TargetContext, report: TargetReportModel?) -> UUID {
        ReportLifecycle.owner(writtenBy: report?.$organisation.id, measureResponsible: context.measure.$responsible.id)
    }

    /// An implementer may work on a target's report only when it is their organisation's (`owner`), inside the
    /// window (or its reopening for them; a report sent back for clarification also during verification).
    static func checkImplementer(_ user: CurrentUser, may context: TargetContext, report: TargetReportModel?, today: CalendarDay) throws {
        guard user.role == .implementer, let organisation = user.organisationID,
              owner(of: context, report: report) == organisation else { throw AppError.forbidden }
        guard !context.semesterPublished else { throw ReportLifecycle.Refusal.semesterPublished }
        guard let window = context.window, let domain = window.domain else {
            throw AppError.conflict(key: "report.window_not_set", arguments: [context.semester.code])
        }
        let extended = window.extensions.first { $0.$organisation.id == organisation }.flatMap { CalendarDay(iso: $0.until) }
        guard domain.acceptsImplementerWork(on: today, status: report?.status, extendedUntil: extended) else {
            throw AppError.conflict(key: "report.window_closed", arguments: [context.semester.code, window.reportOpens, window.reportCloses])
        }
    }

    /// Saves the implementer's text and progress; creates the draft on first save.
    @discardableResult
    static func saveDraft(targetID: UUID, achievement: String, progress: Int, by user: CurrentUser, on database: any Database,
                          today: CalendarDay) async throws -> TargetReportModel {
        guard (0...100).contains(progress) else { throw AppError.invalid(key: "report.progress_range", arguments: ["\(progress)"]) }
        let text = achievement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 20_000 else { throw AppError.invalid(key: "form.too_long", arguments: ["20000"]) }
        return try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let context = try await context(targetID: targetID, on: db)
            let existing = try await TargetReportModel.query(on: db).filter(\.$target.$id == targetID).first()
            try checkImplementer(user, may: context, report: existing, today: today)
            let report = existing ?? TargetReportModel(targetID: targetID, organisationID: owner(of: context, report: nil))
            report.status = try ReportLifecycle.apply(.edit, to: existing?.status, semesterPublished: context.semesterPublished).status
            let before = existing.map(ReportState.init)
            report.achievement = text
            report.progress = progress
            try await report.save(on: db)
            return (report, [AuditChange(action: existing == nil ? "report.create" : "report.update", objectType: "report",
                                         objectID: report.id!.uuidString, before: before, after: ReportState(report))])
        }
    }

    /// Attaches a stored file or a link to an editable report. Evidence is only ever added, never replaced.
    @discardableResult
    static func addEvidence(targetID: UUID, file: (name: String, data: Data)?, link: String?, description: String, isPublic: Bool,
                            store: EvidenceStore, by user: CurrentUser, on database: any Database,
                            today: CalendarDay) async throws -> EvidenceModel {
        var checked: EvidenceStore.CheckedFile?
        var url: String?
        if let file {
            checked = try store.check(file.data)
        } else if let link = link?.trimmingCharacters(in: .whitespaces), !link.isEmpty {
            guard let parsed = URL(string: link), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
                  link.count <= 2000 else { throw AppError.invalid(key: "evidence.invalid_link", arguments: []) }
            url = link
        } else {
            throw AppError.invalid(key: "evidence.nothing", arguments: [])
        }
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 1000 else { throw AppError.invalid(key: "form.too_long", arguments: ["1000"]) }
        let checkedFile = checked
        let linkURL = url
        return try await store.writing(on: database) { written in try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let context = try await context(targetID: targetID, on: db)
            var report = try await TargetReportModel.query(on: db).filter(\.$target.$id == targetID).first()
            try checkImplementer(user, may: context, report: report, today: today)
            _ = try ReportLifecycle.apply(.edit, to: report?.status, semesterPublished: context.semesterPublished)
            // Only now, with the change allowed, does the file reach the disk: before the row naming it is committed,
            // and before this transaction's first write, so SQLite's write lock is not held while the file is flushed.
            let storedFile = try checkedFile.map { try store.write($0, written: written) }
            if report == nil {
                let created = TargetReportModel(targetID: targetID, organisationID: owner(of: context, report: nil))
                try await created.create(on: db)
                report = created
            }
            guard let report else { throw AppError.http(.internalServerError) }
            let evidence = EvidenceModel()
            evidence.$report.id = report.id!
            evidence.url = linkURL
            evidence.sha256 = storedFile?.sha256
            evidence.fileName = Self.safeDisplayName(file?.name ?? linkURL ?? "")
            evidence.mediaType = storedFile?.type.mediaType
            evidence.size = storedFile?.size ?? 0
            evidence.isPublic = isPublic
            evidence.description = text
            try await evidence.create(on: db)
            let state = EvidenceState(fileName: evidence.fileName, url: linkURL, sha256: storedFile?.sha256, size: evidence.size, isPublic: isPublic)
            return (evidence, [AuditChange(action: "evidence.add", objectType: "report", objectID: report.id!.uuidString,
                                           before: Optional<EvidenceState>.none, after: state)])
        } }
    }

    /// Hands the report in; it is frozen until the secretariat asks for clarification.
    static func submit(targetID: UUID, by user: CurrentUser, on database: any Database, now: Date, today: CalendarDay) async throws {
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let context = try await context(targetID: targetID, on: db)
            let report = try await TargetReportModel.query(on: db).filter(\.$target.$id == targetID).first()
            try checkImplementer(user, may: context, report: report, today: today)
            let next = try ReportLifecycle.apply(.submit, to: report?.status, semesterPublished: context.semesterPublished).status
            guard let report else { throw ReportLifecycle.Refusal.nothingToSubmit }
            guard !report.achievement.isEmpty else { throw AppError.invalid(key: "report.achievement_required", arguments: []) }
            let before = ReportState(report)
            report.isLate = ReportLifecycle.isLate(previousStatus: report.status, wasLate: report.isLate, window: context.window?.domain, on: today)
            report.status = next
            report.submittedAt = now
            try await report.save(on: db)
            return ((), [AuditChange(action: "report.submit", objectType: "report", objectID: report.id!.uuidString,
                                     before: before, after: ReportState(report))])
        }
    }

    /// A message on a report. The secretariat's message on a submitted report asks for clarification and
    /// reopens it for the implementer; implementers answer on their own reports; reviewers comment.
    static func postMessage(reportID: UUID, body: String, asksClarification: Bool, by user: CurrentUser, on database: any Database,
                            today: CalendarDay) async throws {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw AppError.invalid(key: "report.message_required", arguments: []) }
        guard text.count <= 5000 else { throw AppError.invalid(key: "form.too_long", arguments: ["5000"]) }
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let report = try await TargetReportModel.find(reportID, on: db) else { throw AppError.notFound(what: "report") }
            switch user.role {
            case .implementer:
                guard ReportQueries.isOwner(user, of: report) else { throw AppError.forbidden }
            case .reviewer:
                guard !asksClarification else { throw AppError.forbidden }
            case .secretariat:
                break
            }
            var changes: [AuditChange] = []
            if asksClarification {
                guard user.role == .secretariat else { throw AppError.forbidden }
                let context = try await context(targetID: report.$target.id, on: db)
                let next = try ReportLifecycle.apply(.requestClarification, to: report.status, semesterPublished: context.semesterPublished).status
                try checkVerificationWindow(context, today: today)
                let before = ReportState(report)
                report.status = next
                try await report.save(on: db)
                changes.append(AuditChange(action: "report.request_clarification", objectType: "report", objectID: reportID.uuidString,
                                           before: before, after: ReportState(report)))
            }
            let message = ReportMessageModel()
            message.$report.id = reportID
            message.authorID = user.id
            message.authorName = user.name
            message.authorRole = user.role
            message.body = text
            try await message.create(on: db)
            changes.append(AuditChange(action: "report.message", objectType: "report", objectID: reportID.uuidString,
                                       before: Optional<MessageState>.none, after: MessageState(body: text)))
            return ((), changes)
        }
    }

    /// The secretariat scores a handed-in report: 0-100, or N/A with a reason, inside the verification window.
    /// Once the semester is published, a score is a correction: it needs `correctionReason` and is shown to the public.
    static func score(reportID: UUID, points: Int?, notApplicableReason: String?, correctionReason: String = "", by user: CurrentUser,
                      on database: any Database, now: Date, today: CalendarDay) async throws {
        let reason = notApplicableReason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if let points {
            guard Score.range.contains(points) else { throw AppError.invalid(key: "score.out_of_range", arguments: ["\(points)"]) }
        } else {
            guard !reason.isEmpty else { throw AppError.invalid(key: "score.reason_required", arguments: []) }
        }
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard user.role == .secretariat else { throw AppError.forbidden }
            guard let report = try await TargetReportModel.find(reportID, on: db) else { throw AppError.notFound(what: "report") }
            let context = try await context(targetID: report.$target.id, on: db)
            let step = try ReportLifecycle.apply(.score, to: report.status, semesterPublished: context.semesterPublished,
                                                 correctionReason: correctionReason)
            // A correction comes after publication, outside any window; ordinary scoring keeps to the verification window.
            if !step.isCorrection { try checkVerificationWindow(context, today: today) }
            let correction = try ResultsService.correctionReasonIfPublished(step.isCorrection, correctionReason)
            // Only a correction needs the plan and its scheme: to record the result before and after.
            let plan = correction == nil ? nil : try await PeriodResults.plan(code: try await planCode(of: context, on: db), on: db)
            let scheme = try plan.map { try SchemeStore.domainScheme($0.scheme, categories: $0.scheme.categories) }
            func value() throws -> CorrectedValue? {
                guard let scheme else { return nil }
                let score = report.status == .scored ? report.domainScore : nil
                return CorrectedValue(score: report.notApplicable ? nil : score.flatMap { if case .points(let p) = $0 { p } else { nil } },
                                      notApplicable: report.status == .scored && report.notApplicable,
                                      category: try score.map { try scheme.category(for: $0).code })
            }
            let previous = try value()
            let before = ReportState(report)
            report.score = points
            report.notApplicable = points == nil
            report.notApplicableReason = points == nil ? reason : ""
            report.status = step.status
            report.scoredAt = now
            try await report.save(on: db)
            var changes = [AuditChange(action: "report.score", objectType: "report", objectID: reportID.uuidString,
                                       before: before, after: ReportState(report), reason: correction ?? "")]
            if let correction, let plan, let previous, let after = try value() {
                changes.append(try await ResultsService.recordCorrection(
                    plan: plan, period: .semester(context.semester.code), commitmentID: try await commitmentID(of: context, on: db),
                    reportID: reportID, before: previous, after: after, reason: correction, by: user, now: now, on: db))
            }
            return ((), changes)
        }
    }

    /// The secretariat verifies (scores, asks for clarification) inside the semester's verification window.
    private static func checkVerificationWindow(_ context: TargetContext, today: CalendarDay) throws {
        guard let window = context.window, let domain = window.domain else {
            throw AppError.conflict(key: "report.window_not_set", arguments: [context.semester.code])
        }
        guard domain.acceptsVerification(on: today) else {
            throw AppError.conflict(key: "verify.window_closed", arguments: [context.semester.code, window.verifyOpens, window.verifyCloses])
        }
    }

    private static func planCode(of context: TargetContext, on database: any Database) async throws -> String {
        guard let plan = try await ActionPlanModel.find(context.semester.$plan.id, on: database) else { throw AppError.notFound(what: "plan") }
        return plan.code
    }

    private static func commitmentID(of context: TargetContext, on database: any Database) async throws -> UUID {
        guard let goal = try await GoalModel.find(context.measure.$goal.id, on: database) else { throw AppError.notFound(what: "commitment") }
        return goal.$commitment.id
    }

    /// Keeps a name for display only: no folders, no control characters, not too long.
    static func safeDisplayName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return String(cleaned.prefix(200))
    }
}
