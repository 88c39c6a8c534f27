import Fluent
import Foundation
import PantauDomain

/// What waits for someone: the lists of the work page each role lands on after signing in. Every item names where it
/// is done.
enum WorkQueries {
    /// A target an implementer's organisation owes, or a report of it that waits for them.
    struct TargetItem: Encodable {
        let targetID: String
        let planCode: String
        let semester: String
        let commitmentNumber: Int
        let target: String
        let statusKey: String
        /// The last day to report, and how many days are left (0: today).
        let closes: String
        let daysLeft: Int
        /// For a report sent back with a question: the last day to answer it, as the reader reads it.
        var answerDue: String?
    }

    struct ImplementerWork {
        /// Open for reporting and not handed in, the nearest deadline first.
        var owed: [TargetItem] = []
        /// Sent back by the secretariat with a question.
        var clarifications: [TargetItem] = []
        /// Reporting has closed without a report handed in, in a semester not yet published.
        var late: [TargetItem] = []
    }

    static func implementer(organisationID: UUID, language: Language, on database: any Database, today: CalendarDay) async throws -> ImplementerWork {
        let answered = try await ReportingQueries.targets(answeredBy: organisationID, on: database)
        let semesterIDs = Set(answered.map { $0.target.$semester.id })
        let windows = try await ReportingWindowModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).with(\.$extensions).all()
        let published = Set(try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ semesterIDs).all().map(\.$semester.id))
        // The answer day of each report's latest question, read in one query.
        let waiting = answered.compactMap { $0.report?.status == .clarificationRequested ? $0.report?.id : nil }
        var answerDue: [UUID: CalendarDay] = [:]
        if !waiting.isEmpty {
            for question in try await ReportMessageModel.query(on: database).filter(\.$report.$id ~~ waiting)
                .filter(\.$kind == .clarificationRequest).sort(\.$createdAt).all() {
                // Sorted oldest first: the latest question's day is the one kept.
                answerDue[question.$report.id] = question.answerDue.flatMap(CalendarDay.init(iso:))
            }
        }
        var work = ImplementerWork()
        for (target, report) in answered where !published.contains(target.$semester.id) {
            guard let window = windows.first(where: { $0.$semester.id == target.$semester.id }), let domain = window.domain else { continue }
            let extended = window.extensions.first { $0.$organisation.id == organisationID }.flatMap { CalendarDay(iso: $0.until) }
            let closes = extended ?? domain.reportCloses
            let commitment = target.measure.goal.commitment
            let status = report?.status
            let item = TargetItem(targetID: target.id!.uuidString, planCode: commitment.plan.code, semester: target.semester.code,
                                  commitmentNumber: commitment.number, target: target.text,
                                  statusKey: "report.status." + (status?.rawValue ?? "not_started"),
                                  closes: closes.iso, daysLeft: closes.dayNumber - today.dayNumber)
            if status == .clarificationRequested, let report {
                var item = item
                item.answerDue = report.id.flatMap { answerDue[$0] }.map { Formatting.day($0, language) }
                work.clarifications.append(item)
            } else if status == nil || status == .draft {
                if domain.acceptsReports(on: today, extendedUntil: extended) {
                    work.owed.append(item)
                } else if today > closes {
                    work.late.append(item)
                }
            }
        }
        let order: (TargetItem, TargetItem) -> Bool = { ($0.closes, $0.planCode, $0.commitmentNumber) < ($1.closes, $1.planCode, $1.commitmentNumber) }
        work.owed.sort(by: order)
        work.clarifications.sort(by: order)
        work.late.sort(by: order)
        return work
    }

    /// One plan's semester as the secretariat and reviewers follow it.
    struct SemesterItem: Encodable {
        let planID: UUID
        let planCode: String
        let planTitle: String
        let semester: String
        /// Handed in and waiting for a score.
        let awaitingScore: Int
        /// Sent back with a question the implementer has not answered yet.
        let awaitingAnswer: Int
        /// The open window's phase (`reporting` or `verification`), its last day and the days left; empty when none is open.
        let phaseKey: String
        let closes: String
        let daysLeft: Int
        let closesSoon: Bool
    }

    /// Semesters of unpublished results with reports to score, questions open, or a window open today.
    static func staff(on database: any Database, today: CalendarDay, soonDays: Int = 7) async throws -> [SemesterItem] {
        let windows = try await ReportingWindowModel.query(on: database).with(\.$semester) { $0.with(\.$plan) }.all()
        let published = Set(try await SemesterPublicationModel.query(on: database).all().map(\.$semester.id))
        let reports = try await TargetReportModel.query(on: database)
            .filter(\.$status ~~ [ReportStatus.submitted, .clarificationRequested]).with(\.$target).all()
        let reportsOfSemester = Dictionary(grouping: reports, by: { $0.target.$semester.id })
        var items: [SemesterItem] = []
        for window in windows where !published.contains(window.$semester.id) {
            guard let domain = window.domain else { continue }
            let ofSemester = reportsOfSemester[window.$semester.id] ?? []
            let awaitingScore = ofSemester.filter { $0.status == .submitted }.count
            let awaitingAnswer = ofSemester.filter { $0.status == .clarificationRequested }.count
            let phase: (key: String, closes: CalendarDay)? =
                domain.acceptsReports(on: today) ? ("work.phase.reporting", domain.reportCloses)
                : domain.acceptsVerification(on: today) ? ("work.phase.verification", domain.verifyCloses) : nil
            guard awaitingScore > 0 || awaitingAnswer > 0 || phase != nil else { continue }
            let daysLeft = phase.map { $0.closes.dayNumber - today.dayNumber } ?? 0
            items.append(SemesterItem(planID: window.semester.$plan.id, planCode: window.semester.plan.code, planTitle: window.semester.plan.title, semester: window.semester.code,
                                      awaitingScore: awaitingScore, awaitingAnswer: awaitingAnswer, phaseKey: phase?.key ?? "",
                                      closes: phase?.closes.iso ?? "", daysLeft: daysLeft, closesSoon: phase != nil && daysLeft <= soonDays))
        }
        return items.sorted { ($0.planCode, $0.semester) < ($1.planCode, $1.semester) }
    }
}
