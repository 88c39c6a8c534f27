import Fluent
import Foundation
import PantauDomain

/// Independent monitors' assessments: a plan's monitoring body writes one per commitment and semester, as a draft
/// that only the plan's monitors read, then publishes it. Nothing here touches the secretariat's results.
enum MonitoringService {
    /// An assessment as pages, the API and open data show it.
    struct Entry: Sendable {
        let id: UUID
        let planCode: String
        let commitmentID: UUID
        let commitmentNumber: Int
        let semester: String
        let rating: CompletionRating
        let text: String
        let state: MonitorAssessmentState
        let publishedAt: Date?
        let updatedAt: Date?
        let authorName: String
    }

    /// What the audit history keeps of an assessment.
    struct State: Codable, Equatable {
        let semester: String
        let rating: String
        let text: String
        let state: String
    }

    /// Saves the monitor's assessment of commitment `number` in `semester`, as a draft or published. A published
    /// assessment stays published: a change to it is published at once, with its history.
    @discardableResult
    static func save(planCode: String, semester semesterCode: String, commitmentNumber: Int, rating: String?, text: String?,
                     publish: Bool, by user: CurrentUser, now: Date, today: CalendarDay, on database: any Database) async throws -> Entry {
        let assessment: MonitorAssessment
        do {
            assessment = try MonitorAssessment(rating: rating, text: text)
        } catch let problem as MonitorAssessment.Problem {
            throw FieldError(field: problem.field, error: .invalid(key: problem.messageKey, arguments: Self.arguments(problem)))
        }
        let saved = try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            let semester = try await PlanSemesterModel.find(planCode: planCode, semesterCode: semesterCode, on: db)
            let plan = semester.plan
            let planID = try plan.requireID()
            guard user.caller.may(.assessIndependently, plan: planID) else { throw AppError.forbidden }
            try PlanArchive.ensureOpen(plan)
            guard plan.status == .adopted else { throw AppError.conflict(key: "monitoring.plan_not_adopted", arguments: [plan.code]) }
            if let start = CalendarDay(iso: semester.startDate), today < start {
                throw AppError.conflict(key: "monitoring.semester_not_started", arguments: [semester.code, start.iso])
            }
            guard let commitment = try await CommitmentModel.query(on: db).filter(\.$plan.$id == planID)
                .filter(\.$number == commitmentNumber).first() else {
                throw AppError.commitmentNotFound(plan: planCode, number: "\(commitmentNumber)")
            }
            let commitmentID = try commitment.requireID()
            let existing = try await MonitorAssessmentModel.query(on: db).filter(\.$commitment.$id == commitmentID)
                .filter(\.$semester.$id == semester.requireID()).first()
            let wasPublished = existing?.state == .published
            if wasPublished, !publish { throw AppError.conflict(key: "monitoring.already_published", arguments: []) }
            let record = existing ?? MonitorAssessmentModel()
            let before = existing.map { Self.state($0, semester: semester.code) }
            record.$plan.id = planID
            record.$commitment.id = commitmentID
            record.$semester.id = try semester.requireID()
            record.rating = assessment.rating
            record.text = assessment.text
            record.state = publish ? .published : .draft
            if publish, record.publishedAt == nil { record.publishedAt = now }
            let after = Self.state(record, semester: semester.code)
            guard before != after else { return (try Self.entry(record, planCode: plan.code, commitmentNumber: commitmentNumber, semester: semester.code), []) }
            record.authorID = user.id
            record.authorName = user.name
            record.updatedAt = now
            try await record.save(on: db)
            // A publication's entry is public: it compares with what was published before, never with a draft.
            let change = AuditChange(action: publish ? "monitor.published" : "monitor.draft", objectType: "commitment",
                                     objectID: commitmentID.uuidString, before: publish && !wasPublished ? nil : before,
                                     after: after)
            return (try Self.entry(record, planCode: plan.code, commitmentNumber: commitmentNumber, semester: semester.code), [change])
        }
        // Published assessments are found by search.
        if saved.state == .published { try await SearchIndex.rebuild(planCode: planCode, on: database) }
        return saved
    }

    /// A plan's assessments in commitment and semester order: the published ones, and the drafts too for `withDrafts`
    /// (the plan's monitors).
    static func entries(planID: UUID, withDrafts: Bool, commitmentID: UUID? = nil, on database: any Database) async throws -> [Entry] {
        var query = MonitorAssessmentModel.query(on: database).filter(\.$plan.$id == planID)
            .with(\.$commitment).with(\.$semester).with(\.$plan)
        if !withDrafts { query = query.filter(\.$state == .published) }
        if let commitmentID { query = query.filter(\.$commitment.$id == commitmentID) }
        return try await query.all()
            .sorted { ($0.commitment.number, $0.semester.month) < ($1.commitment.number, $1.semester.month) }
            .map { try Self.entry($0, planCode: $0.plan.code, commitmentNumber: $0.commitment.number, semester: $0.semester.code) }
    }

    private static func entry(_ record: MonitorAssessmentModel, planCode: String, commitmentNumber: Int, semester: String) throws -> Entry {
        Entry(id: try record.requireID(), planCode: planCode, commitmentID: record.$commitment.id, commitmentNumber: commitmentNumber,
              semester: semester, rating: record.rating, text: record.text, state: record.state,
              publishedAt: record.publishedAt, updatedAt: record.updatedAt, authorName: record.authorName)
    }

    private static func state(_ record: MonitorAssessmentModel, semester: String) -> State {
        State(semester: semester, rating: record.rating.rawValue, text: record.text, state: record.state.rawValue)
    }

    private static func arguments(_ problem: MonitorAssessment.Problem) -> [String] {
        switch problem {
        case .unknownRating(let code): [code]
        case .textTooLong: ["\(MonitorAssessment.maximumTextLength)"]
        case .ratingRequired, .textRequired: []
        }
    }
}
