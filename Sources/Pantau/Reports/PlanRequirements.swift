import Fluent
import Foundation
import PantauDomain

/// OGP's minimum requirements of plans (`MinimumRequirements`), read for many plans at once in a few queries: what
/// the plan page and the national overview show.
enum PlanRequirements {
    /// The requirements of `plans` (loaded with their semesters), by plan id.
    static func load(plans: [ActionPlanModel], today: CalendarDay, on database: any Database) async throws -> [UUID: MinimumRequirements] {
        let planIDs = plans.compactMap(\.id)
        guard !planIDs.isEmpty else { return [:] }
        var planOfSemester: [UUID: UUID] = [:]
        for plan in plans { for semester in plan.semesters { planOfSemester[semester.id!] = plan.id! } }
        var publications: [UUID: [Date]] = [:]
        for publication in try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ Array(planOfSemester.keys)).all() {
            guard let plan = planOfSemester[publication.$semester.id] else { continue }
            publications[plan, default: []].append(publication.publishedAt)
        }
        for publication in try await YearPublicationModel.query(on: database).filter(\.$plan.$id ~~ planIDs).all() {
            publications[publication.$plan.id, default: []].append(publication.publishedAt)
        }
        var meetings: [UUID: [CalendarDay]] = [:]
        var changes: [UUID: [Date]] = publications
        // A plan whose forum is on record counts its forum's meetings that presented results; a plan without one, as
        // before forums were recorded, every published meeting that presented results.
        let withForum = try await ForumService.plansWithForum(planIDs, on: database)
        for meeting in try await MeetingModel.query(on: database).filter(\.$plan.$id ~~ planIDs).filter(\.$isPublished == true).all() {
            if let published = meeting.publishedAt { changes[meeting.$plan.id, default: []].append(published) }
            let record = meeting.record
            guard record?.presentsResults == true, let day = CalendarDay(iso: meeting.date) else { continue }
            guard !withForum.contains(meeting.$plan.id) || record?.forumMeeting == true else { continue }
            meetings[meeting.$plan.id, default: []].append(day)
        }
        for correction in try await ResultCorrectionModel.query(on: database).filter(\.$plan.$id ~~ planIDs).all() {
            changes[correction.$plan.id, default: []].append(correction.madeAt)
        }
        for assessment in try await MonitorAssessmentModel.query(on: database).filter(\.$plan.$id ~~ planIDs).filter(\.$state == .published).all() {
            if let at = assessment.updatedAt { changes[assessment.$plan.id, default: []].append(at) }
        }
        var result: [UUID: MinimumRequirements] = [:]
        for plan in plans {
            let id = plan.id!
            let years = plan.semesters.flatMap { [$0.startDate, $0.endDate] }.compactMap { CalendarDay(iso: $0)?.year }
            guard let first = years.min(), let last = years.max() else { continue }
            // The plan itself: adopted and revised (its own row changes only then).
            let planChanges = [plan.updatedAt ?? plan.createdAt].compactMap { $0 }
            result[id] = MinimumRequirements(
                planYears: first...last, today: today,
                publications: (publications[id] ?? []).map(ReportingCalendar.day(of:)), resultMeetings: meetings[id] ?? [],
                publicChanges: (changes[id] ?? []) + planChanges)
        }
        return result
    }
}
