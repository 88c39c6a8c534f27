import Fluent
import Foundation
import PantauDomain
import SQLKit

/// The notifications no request causes: a reporting window opening, closing soon, closed with targets missing, and a
/// clarification not answered by its day. The server looks every minute on the app's clock (`run`), so a test or a
/// demonstration that moves the clock walks the semester day by day. Each event is written once, with the key of the
/// event in the same transaction as its notifications: a second look, or a second server process, finds the key and
/// writes nothing. A server that was stopped catches up on its next look, as long as the event still matters (a window
/// still open, a verification still running), so that an old plan loaded today sends nothing.
enum Reminders {
    /// Working days before a reporting window closes when those who have not reported are reminded, unless the
    /// national secretariat chose another number (`/admin/holidays`).
    static let defaultClosingWorkingDays = 3
    static let closingWorkingDaysRange = 1...20
    static let closingWorkingDaysKey = "reminder_working_days"

    /// The number in force.
    static func closingWorkingDays(on database: any Database) async throws -> Int {
        try await SystemSettingModel.find(closingWorkingDaysKey, on: database).flatMap { Int($0.value) } ?? defaultClosingWorkingDays
    }

    /// Sets the number, audited; a number outside `closingWorkingDaysRange` is refused beside its field.
    static func setClosingWorkingDays(_ text: String, actor: AuditActor, on database: any Database) async throws {
        guard let days = Int(text.trimmingCharacters(in: .whitespaces)), closingWorkingDaysRange.contains(days) else {
            throw FieldError(field: "reminderDays", error: .invalid(key: "holidays.bad_reminder_days",
                                                                   arguments: [text, "\(closingWorkingDaysRange.lowerBound)", "\(closingWorkingDaysRange.upperBound)"]))
        }
        try await AuditLog.transaction(on: database, actor: actor) { db in
            let before = try await closingWorkingDays(on: db)
            if let setting = try await SystemSettingModel.find(closingWorkingDaysKey, on: db) {
                setting.value = "\(days)"
                try await setting.save(on: db)
            } else {
                try await SystemSettingModel(key: closingWorkingDaysKey, value: "\(days)").create(on: db)
            }
            return ((), [AuditChange(action: "settings.reminder_working_days", objectType: "settings", objectID: closingWorkingDaysKey,
                                     before: before, after: days)])
        }
    }

    /// Writes the notifications due at `now`; returns how many events were notified.
    @discardableResult
    static func run(now: Date, on database: any Database) async throws -> Int {
        let today = ReportingCalendar.day(of: now)
        let calendar = try await WorkingDaysStore.calendar(on: database)
        let reminderDays = try await closingWorkingDays(on: database)
        var events = 0
        for window in try await liveWindows(on: today, database: database) {
            events += try await windowEvents(window, today: today, calendar: calendar, reminderDays: reminderDays, now: now, on: database)
        }
        events += try await overdueClarifications(today: today, now: now, on: database)
        return events
    }

    /// A window of an adopted plan not archived, whose semester is not published, in which something can still happen.
    private struct LiveWindow {
        let id: UUID
        let planID: UUID
        let planCode: String
        let semesterID: UUID
        let semester: String
        let window: ReportingWindow
        /// Reopenings per organisation (the latest day when several).
        let extensions: [UUID: CalendarDay]
    }

    private static func liveWindows(on today: CalendarDay, database: any Database) async throws -> [LiveWindow] {
        let windows = try await ReportingWindowModel.query(on: database).filter(\.$reportOpens <= today.iso)
            .with(\.$extensions).with(\.$semester) { $0.with(\.$plan) }.all()
        let semesterIDs = windows.map { $0.$semester.id }
        let published = Set(semesterIDs.isEmpty ? [] : try await SemesterPublicationModel.query(on: database)
            .filter(\.$semester.$id ~~ semesterIDs).all(\.$semester.$id))
        return windows.compactMap { model in
            let plan = model.semester.plan
            guard let window = model.domain, let id = model.id, let planID = plan.id, plan.status == .adopted, plan.archivedAt == nil,
                  !published.contains(model.$semester.id) else { return nil }
            var extensions: [UUID: CalendarDay] = [:]
            for reopening in model.extensions {
                guard let day = CalendarDay(iso: reopening.until) else { continue }
                extensions[reopening.$organisation.id] = max(extensions[reopening.$organisation.id] ?? day, day)
            }
            let lastDay = ([window.verifyCloses] + extensions.values).max()!
            guard today <= lastDay else { return nil }
            return LiveWindow(id: id, planID: planID, planCode: plan.code, semesterID: model.$semester.id, semester: model.semester.code,
                              window: window, extensions: extensions)
        }
    }

    /// What each organisation owes in a window's semester: its targets (by the one rule of who a report belongs to)
    /// and how many of them are not handed in.
    private struct Owed { var targets = 0; var notHandedIn = 0 }

    private static func owed(in semesterID: UUID, on database: any Database) async throws -> [UUID: Owed] {
        let sql = database as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT m.responsible_organisation_id AS responsible, r.organisation_id AS writer, r.status AS status
            FROM targets t JOIN success_measures m ON m.id = t.measure_id LEFT JOIN target_reports r ON r.target_id = t.id
            WHERE t.semester_id = \(bind: semesterID)
            """).all()
        var owed: [UUID: Owed] = [:]
        for row in rows {
            let writer = try row.decodeNil(column: "writer") ? nil : try row.decode(column: "writer", as: UUID.self)
            let owner = ReportLifecycle.owner(writtenBy: writer, measureResponsible: try row.decode(column: "responsible", as: UUID.self))
            let status = try row.decodeNil(column: "status") ? nil : ReportStatus(rawValue: try row.decode(column: "status", as: String.self))
            owed[owner, default: Owed()].targets += 1
            if status == nil || status == .draft { owed[owner, default: Owed()].notHandedIn += 1 }
        }
        return owed
    }

    private static func windowEvents(_ live: LiveWindow, today: CalendarDay, calendar: WorkingCalendar, reminderDays: Int, now: Date,
                                     on database: any Database) async throws -> Int {
        let owedByOrganisation = try await owed(in: live.semesterID, on: database)
        let link = SiteURL.reportOwed.path()
        var events = 0
        var missingAtClose: [(organisation: UUID, targets: Int)] = []
        for (organisation, owed) in owedByOrganisation.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            let closes = live.extensions[organisation] ?? live.window.reportCloses
            let key = "\(live.id.uuidString.lowercased()):\(organisation.uuidString.lowercased())"
            if live.window.acceptsReports(on: today), owed.notHandedIn > 0 {
                events += try await once("window_opened:" + key, now: now, on: database) { db in
                    try await Notifier.notify(.windowOpened, arguments: [live.planCode, live.semester, closes.iso, "\(owed.notHandedIn)"],
                                              link: link, to: try await Notifier.implementers(of: organisation, on: db), now: now, on: db)
                }
            }
            if today <= closes, today >= live.window.reportOpens, owed.notHandedIn > 0,
               calendar.workingDays(after: today, through: closes) <= reminderDays {
                events += try await once("window_closing:\(key):\(closes.iso)", now: now, on: database) { db in
                    try await Notifier.notify(.windowClosing, arguments: [live.planCode, live.semester, closes.iso, "\(owed.notHandedIn)"],
                                              link: link, to: try await Notifier.implementers(of: organisation, on: db), now: now, on: db)
                }
            }
            if today > closes, owed.notHandedIn > 0 {
                events += try await once("window_closed:\(key):\(closes.iso)", now: now, on: database) { db in
                    try await Notifier.notify(.windowClosedMissing, arguments: [live.planCode, live.semester, closes.iso, "\(owed.notHandedIn)", "1"],
                                              link: link, to: try await Notifier.implementers(of: organisation, on: db), now: now, on: db)
                }
            }
            if today > live.window.reportCloses, live.extensions[organisation] == nil, owed.notHandedIn > 0 {
                missingAtClose.append((organisation, owed.notHandedIn))
            }
        }
        // The secretariat hears once per window, with every organisation that missed the common closing day.
        if today > live.window.reportCloses, !missingAtClose.isEmpty {
            let targets = missingAtClose.reduce(0) { $0 + $1.targets }, organisations = missingAtClose.count
            events += try await once("window_closed:\(live.id.uuidString.lowercased()):secretariat", now: now, on: database) { db in
                try await Notifier.notify(.windowClosedMissing,
                                          arguments: [live.planCode, live.semester, live.window.reportCloses.iso, "\(targets)", "\(organisations)"],
                                          link: SiteURL.adminSemesters.path(),
                                          to: try await Notifier.secretariats(of: live.planID, on: db), now: now, on: db)
            }
        }
        return events
    }

    /// Questions whose answer day has passed with the report still waiting for its answer: the implementers and the
    /// plan's secretariat hear once per question.
    private static func overdueClarifications(today: CalendarDay, now: Date, on database: any Database) async throws -> Int {
        let questions = try await ReportMessageModel.query(on: database).filter(\.$kind == .clarificationRequest)
            .filter(\.$answerDue != nil).filter(\.$answerDue < today.iso)
            .join(TargetReportModel.self, on: \ReportMessageModel.$report.$id == \TargetReportModel.$id)
            .filter(TargetReportModel.self, \.$status == .clarificationRequested).all()
        var events = 0
        for question in questions {
            guard let id = question.id, let due = question.answerDue else { continue }
            // Only the latest question of a report is waited for.
            // (Compared by id: a timestamp read back can differ from the stored one in its last digits.)
            let latest = try await ReportMessageModel.query(on: database).filter(\.$report.$id == question.$report.id)
                .filter(\.$kind == .clarificationRequest).sort(\.$createdAt, .descending).first()
            guard latest?.id == id else { continue }
            guard let report = try await TargetReportModel.find(question.$report.id, on: database),
                  let target = try await TargetModel.query(on: database).filter(\.$id == report.$target.id)
                      .with(\.$semester) { $0.with(\.$plan) }.first(),
                  target.semester.plan.archivedAt == nil else { continue }
            let arguments = [target.text, target.semester.plan.code, target.semester.code, due]
            events += try await once("clarification_overdue:" + id.uuidString.lowercased(), now: now, on: database) { db in
                try await Notifier.notify(.clarificationOverdue, arguments: arguments, link: SiteURL.reportTarget.path(try target.requireID()),
                                          to: try await Notifier.implementers(of: report.$organisation.id, on: db), now: now, on: db)
                try await Notifier.notify(.clarificationOverdue, arguments: arguments, link: SiteURL.verifyReport.path(try report.requireID()),
                                          to: try await Notifier.secretariats(of: target.semester.$plan.id, on: db), now: now, on: db)
            }
        }
        return events
    }

    /// Runs `write` in one transaction with the event's key, unless the key is already there; 1 when written here.
    static func once(_ key: String, now: Date, on database: any Database,
                     _ write: @escaping @Sendable (any Database) async throws -> Void) async throws -> Int {
        try await retryingWhenSQLiteIsBusy {
            try await database.transaction { db in
                let sql = db as! any SQLDatabase
                // Waits for another process writing the same key, then finds it there (PostgreSQL); SQLite writes one at a time.
                let claimed = try await sql.raw("""
                    INSERT INTO notification_events (key, created_at) VALUES (\(bind: key), \(bind: now))
                    ON CONFLICT (key) DO NOTHING RETURNING key
                    """).all()
                guard !claimed.isEmpty else { return 0 }
                try await write(db)
                return 1
            }
        }
    }
}
