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

        init(_ evidence: EvidenceModel) {
            fileName = evidence.fileName
            url = evidence.url
            sha256 = evidence.sha256
            size = evidence.size
            isPublic = evidence.isPublic
        }
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
            .with(\.$measure).with(\.$semester, { $0.with(\.$plan) }).first() else { throw AppError.notFound(what: "target") }
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
        let organisation = owner(of: context, report: report)
        guard user.caller.may(.report, organisation: organisation) else { throw AppError.forbidden }
        guard !context.semesterPublished else { throw ReportLifecycle.Refusal.semesterPublished }
        guard let window = context.window, let domain = window.domain else {
            throw AppError.conflict(key: "report.window_not_set", arguments: [context.semester.code])
        }
        let extended = window.extensions.first { $0.$organisation.id == organisation }.flatMap { CalendarDay(iso: $0.until) }
        guard domain.acceptsImplementerWork(on: today, status: report?.status, extendedUntil: extended) else {
            throw AppError.conflict(key: "report.window_closed", arguments: [context.semester.code, window.reportOpens, window.reportCloses])
        }
    }

    /// New evidence: a file or a link, with a description; public only when chosen.
    struct NewEvidence: Sendable {
        var file: (name: String, data: Data)?
        var link: String?
        var description: String
        var isPublic: Bool
    }

    /// Everything an implementer changes on one target's report at once: the page's one form sends it whole (and the
    /// text is saved with the evidence, so nothing typed is lost); each API call sends one part. Applied in one
    /// audited transaction: all of it happens, or none.
    struct ReportChange: Sendable {
        /// nil: unchanged.
        var achievement: String?
        var progress: Int?
        var newEvidence: NewEvidence?
        var removeEvidence: UUID?
        /// Evidence whose visibility changes, and to what.
        var evidenceVisibility: (id: UUID, isPublic: Bool)?
        /// The answer to the open clarification request.
        var answer: String?
        /// Hand the report in (again) after the other changes.
        var submit = false
    }

    /// Checks a change's values before anything is written; each problem names its form field.
    private static func validate(_ change: ReportChange, store: EvidenceStore) throws -> (file: EvidenceStore.CheckedFile?, link: String?) {
        if let progress = change.progress, !(0...100).contains(progress) {
            throw FieldError(field: "progress", error: .invalid(key: "report.progress_range", arguments: ["\(progress)"]))
        }
        if let text = change.achievement, text.count > 20_000 {
            throw FieldError(field: "achievement", error: .invalid(key: "form.too_long", arguments: ["20000"]))
        }
        if let answer = change.answer, answer.count > 5000 {
            throw FieldError(field: "answer", error: .invalid(key: "form.too_long", arguments: ["5000"]))
        }
        guard let evidence = change.newEvidence else { return (nil, nil) }
        guard evidence.description.count <= 1000 else {
            throw FieldError(field: "evidence", error: .invalid(key: "form.too_long", arguments: ["1000"]))
        }
        do {
            if let file = evidence.file { return (try store.check(file.data), nil) }
            let link = evidence.link?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !link.isEmpty else { throw AppError.invalid(key: "evidence.nothing", arguments: []) }
            guard let parsed = URL(string: link), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
                  link.count <= 2000 else { throw AppError.invalid(key: "evidence.invalid_link", arguments: []) }
            return (nil, link)
        } catch {
            throw FieldError(field: "evidence", error: AppError.from(error))
        }
    }

    /// Applies `change` to the target's report, creating the draft first if there is none.
    @discardableResult
    static func apply(_ change: ReportChange, targetID: UUID, store: EvidenceStore, by user: CurrentUser, on database: any Database,
                      now: Date, today: CalendarDay) async throws -> TargetReportModel {
        var change = change
        change.achievement = change.achievement?.trimmingCharacters(in: .whitespacesAndNewlines)
        change.answer = change.answer?.trimmingCharacters(in: .whitespacesAndNewlines)
        let (checkedFile, link) = try validate(change, store: store)
        let checked = change
        return try await store.writing(on: database) { written in try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let context = try await context(targetID: targetID, on: db)
            let existing = try await TargetReportModel.query(on: db).filter(\.$target.$id == targetID).first()
            // Archived is said first: the plan page says so to everyone, and no window makes it writable again.
            try PlanArchive.ensureOpen(context.semester.plan)
            try checkImplementer(user, may: context, report: existing, today: today)
            let status = try ReportLifecycle.apply(.edit, to: existing?.status, semesterPublished: context.semesterPublished).status
            // Only now, with the change allowed, does a file reach the disk: before the row naming it is committed.
            let storedFile = try checkedFile.map { try store.write($0, written: written) }
            var changes: [AuditChange] = []
            let report = existing ?? TargetReportModel(targetID: targetID, organisationID: owner(of: context, report: nil))
            let before = existing.map(ReportState.init)
            report.status = status
            if let text = checked.achievement { report.achievement = text }
            if let progress = checked.progress { report.progress = progress }
            if existing == nil || checked.achievement != nil || checked.progress != nil {
                try await report.save(on: db)
                let after = ReportState(report)
                if existing == nil || before.map({ $0.achievement != after.achievement || $0.progress != after.progress }) == true {
                    changes.append(AuditChange(action: existing == nil ? "report.create" : "report.update", objectType: "report",
                                               objectID: report.id!.uuidString, before: before, after: after))
                }
            }
            let reportID = report.id!
            if let id = checked.removeEvidence {
                changes.append(try await removeEvidence(id, of: report, on: db))
            }
            if let (id, isPublic) = checked.evidenceVisibility {
                guard let evidence = try await EvidenceModel.query(on: db).filter(\.$id == id).filter(\.$report.$id == reportID).first() else {
                    throw AppError.notFound(what: "evidence")
                }
                if evidence.isPublic != isPublic {
                    let before = EvidenceState(evidence)
                    evidence.isPublic = isPublic
                    try await evidence.save(on: db)
                    changes.append(AuditChange(action: "evidence.visibility", objectType: "report", objectID: reportID.uuidString,
                                               before: before, after: EvidenceState(evidence)))
                }
            }
            if let new = checked.newEvidence {
                let evidence = EvidenceModel()
                evidence.$report.id = reportID
                evidence.url = link
                evidence.sha256 = storedFile?.sha256
                evidence.fileName = Self.safeDisplayName(new.file?.name ?? link ?? "")
                evidence.mediaType = storedFile?.type.mediaType
                evidence.size = storedFile?.size ?? 0
                evidence.isPublic = new.isPublic
                evidence.description = new.description.trimmingCharacters(in: .whitespacesAndNewlines)
                try await evidence.create(on: db)
                changes.append(AuditChange(action: "evidence.add", objectType: "report", objectID: reportID.uuidString,
                                           before: Optional<EvidenceState>.none, after: EvidenceState(evidence)))
            }
            if let answer = checked.answer, !answer.isEmpty {
                guard report.status == .clarificationRequested else { throw AppError.conflict(key: "report.no_open_question", arguments: []) }
                changes.append(try await addMessage(answer, kind: .answer, to: reportID, by: user, on: db))
            }
            if checked.submit {
                let answered = report.status == .clarificationRequested
                changes.append(try await submit(report, context: context, on: db, now: now, today: today))
                if answered {
                    try await Notifier.notify(.clarificationAnswered, arguments: [context.target.text, context.semester.plan.code, context.semester.code],
                                              link: SiteURL.verifyReport.path(reportID),
                                              to: try await Notifier.secretariats(of: context.semester.$plan.id, on: db), now: now, on: db)
                }
            }
            return (report, changes)
        } }
    }

    /// Takes evidence off a report that is being written. What was handed in stays: evidence added before the
    /// report's last submission cannot be removed, and its file is never deleted.
    private static func removeEvidence(_ id: UUID, of report: TargetReportModel, on db: any Database) async throws -> AuditChange {
        guard let evidence = try await EvidenceModel.query(on: db).filter(\.$id == id).filter(\.$report.$id == report.id!).first() else {
            throw AppError.notFound(what: "evidence")
        }
        guard ReportQueries.isRemovable(evidence, of: report) else {
            throw AppError.conflict(key: "evidence.handed_in", arguments: [evidence.fileName])
        }
        let before = EvidenceState(evidence)
        try await evidence.delete(on: db)
        return AuditChange(action: "evidence.remove", objectType: "report", objectID: report.id!.uuidString,
                           before: before, after: Optional<EvidenceState>.none)
    }

    /// Hands the report in: it needs its text, and after a clarification request, an answer.
    private static func submit(_ report: TargetReportModel, context: TargetContext, on db: any Database, now: Date,
                               today: CalendarDay) async throws -> AuditChange {
        let next = try ReportLifecycle.apply(.submit, to: report.status, semesterPublished: context.semesterPublished).status
        guard !report.achievement.isEmpty else {
            throw FieldError(field: "achievement", error: .invalid(key: "report.achievement_required", arguments: []))
        }
        if report.status == .clarificationRequested {
            let messages = try await ReportMessageModel.query(on: db).filter(\.$report.$id == report.id!).sort(\.$createdAt).all()
            let lastQuestion = messages.lastIndex { $0.kind == .clarificationRequest }
            guard let lastQuestion, messages[(lastQuestion + 1)...].contains(where: { $0.kind == .answer }) else {
                throw FieldError(field: "answer", error: .invalid(key: "report.answer_required", arguments: []))
            }
        }
        let before = ReportState(report)
        report.isLate = ReportLifecycle.isLate(previousStatus: report.status, wasLate: report.isLate, window: context.window?.domain, on: today)
        report.status = next
        report.submittedAt = now
        try await report.save(on: db)
        return AuditChange(action: "report.submit", objectType: "report", objectID: report.id!.uuidString, before: before, after: ReportState(report))
    }

    private static func addMessage(_ text: String, kind: ReportMessageKind, to reportID: UUID, by user: CurrentUser, answerDue: CalendarDay? = nil,
                                   on db: any Database) async throws -> AuditChange {
        let message = ReportMessageModel()
        message.answerDue = answerDue?.iso
        message.$report.id = reportID
        message.authorID = user.id
        message.authorName = user.name
        message.authorRole = user.role
        message.body = text
        message.kind = kind
        try await message.create(on: db)
        return AuditChange(action: kind == .staffNote ? "report.staff_note" : "report.message", objectType: "report",
                           objectID: reportID.uuidString, before: Optional<MessageState>.none, after: MessageState(body: text))
    }

    /// Saves the implementer's text and progress; creates the draft on first save.
    @discardableResult
    static func saveDraft(targetID: UUID, achievement: String, progress: Int, by user: CurrentUser, on database: any Database,
                          store: EvidenceStore, now: Date, today: CalendarDay) async throws -> TargetReportModel {
        try await apply(ReportChange(achievement: achievement, progress: progress), targetID: targetID, store: store, by: user,
                        on: database, now: now, today: today)
    }

    /// Attaches a stored file or a link to an editable report.
    static func addEvidence(targetID: UUID, _ evidence: NewEvidence, store: EvidenceStore, by user: CurrentUser, on database: any Database,
                            now: Date, today: CalendarDay) async throws -> EvidenceModel {
        let report = try await apply(ReportChange(newEvidence: evidence), targetID: targetID, store: store, by: user, on: database,
                                     now: now, today: today)
        guard let added = try await EvidenceModel.query(on: database).filter(\.$report.$id == report.id!).sort(\.$createdAt, .descending).first()
        else { throw AppError.notFound(what: "evidence") }
        return added
    }

    /// Hands the report in; it is frozen until the secretariat asks for clarification.
    static func submit(targetID: UUID, by user: CurrentUser, on database: any Database, store: EvidenceStore, now: Date,
                       today: CalendarDay) async throws {
        guard try await TargetReportModel.query(on: database).filter(\.$target.$id == targetID).first() != nil else {
            // Nothing written yet: the implementer may still be the wrong one, which is the answer they get first.
            let context = try await context(targetID: targetID, on: database)
            try checkImplementer(user, may: context, report: nil, today: today)
            throw ReportLifecycle.Refusal.nothingToSubmit
        }
        try await apply(ReportChange(submit: true), targetID: targetID, store: store, by: user, on: database, now: now, today: today)
    }

    /// A message on a report. The secretariat's request for clarification reopens a submitted report for the
    /// implementer; the implementer answers an open request; other messages of the secretariat and reviewers are
    /// staff notes, which implementers never read (`ReportMessageKind`).
    static func postMessage(reportID: UUID, body: String, asksClarification: Bool, by user: CurrentUser, on database: any Database,
                            now: Date, today: CalendarDay) async throws {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw AppError.invalid(key: "report.message_required", arguments: []) }
        guard text.count <= 5000 else { throw AppError.invalid(key: "form.too_long", arguments: ["5000"]) }
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let report = try await TargetReportModel.find(reportID, on: db) else { throw AppError.notFound(what: "report") }
            let context = try await context(targetID: report.$target.id, on: db)
            let plan = context.semester.$plan.id
            let answers = user.caller.may(.report, organisation: report.$organisation.id)
            guard answers || user.caller.may(.commentOnReports, plan: plan) else { throw AppError.forbidden }
            try PlanArchive.ensureOpen(context.semester.plan)
            var changes: [AuditChange] = []
            var answerDue: CalendarDay?
            if asksClarification {
                guard user.caller.may(.verify, plan: plan) else { throw AppError.forbidden }
                let next = try ReportLifecycle.apply(.requestClarification, to: report.status, semesterPublished: context.semesterPublished).status
                try checkVerificationWindow(context, today: today)
                let before = ReportState(report)
                report.status = next
                try await report.save(on: db)
                changes.append(AuditChange(action: "report.request_clarification", objectType: "report", objectID: reportID.uuidString,
                                           before: before, after: ReportState(report)))
                // The implementers are told, with the day the answer is due (in working days).
                let due = try await WorkingDaysStore.calendar(on: db).adding(workingDays: Self.answerWorkingDays, to: today)
                answerDue = due
                try await Notifier.notify(.clarificationRequested, arguments: [context.target.text, context.semester.plan.code, context.semester.code, due.iso],
                                          link: SiteURL.reportTarget.path(context.target.requireID()),
                                          to: try await Notifier.implementers(of: report.$organisation.id, on: db), now: now, on: db)
            }
            if answers {
                // An answer goes with the report handed in again: `apply` with `answer` and `submit`.
                guard report.status == .clarificationRequested else { throw AppError.conflict(key: "report.no_open_question", arguments: []) }
            }
            changes.append(try await addMessage(text, kind: ReportMessageKind.written(by: user.caller, asksClarification: asksClarification),
                                                to: reportID, by: user, answerDue: answerDue, on: db))
            return ((), changes)
        }
    }

    /// Working days an implementer has to answer a clarification request.
    static let answerWorkingDays = 5

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
            guard let report = try await TargetReportModel.find(reportID, on: db) else { throw AppError.notFound(what: "report") }
            let context = try await context(targetID: report.$target.id, on: db)
            guard user.caller.may(.verify, plan: context.semester.$plan.id) else { throw AppError.forbidden }
            try PlanArchive.ensureOpen(context.semester.plan)
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
            try await Notifier.notify(.reportScored, arguments: [context.target.text, context.semester.plan.code, context.semester.code,
                                                            report.notApplicable ? "N/A" : report.score.map(String.init) ?? ""],
                                      link: SiteURL.reportTarget.path(context.target.requireID()),
                                      to: try await Notifier.implementers(of: report.$organisation.id, on: db), now: now, on: db)
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
