import Fluent
import Foundation
import PantauDomain

/// The reporting and verification windows of one semester of a plan (days, in the plan's calendar).
public final class ReportingWindowModel: Model, @unchecked Sendable {
    public static let schema = "reporting_windows"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "semester_id") public var semester: PlanSemesterModel
    @Field(key: "report_opens") public var reportOpens: String
    @Field(key: "report_closes") public var reportCloses: String
    @Field(key: "verify_opens") public var verifyOpens: String
    @Field(key: "verify_closes") public var verifyCloses: String
    @Children(for: \.$window) public var extensions: [WindowExtensionModel]

    public init() {}

    var domain: ReportingWindow? {
        guard let a = CalendarDay(iso: reportOpens), let b = CalendarDay(iso: reportCloses),
              let c = CalendarDay(iso: verifyOpens), let d = CalendarDay(iso: verifyCloses) else { return nil }
        return try? ReportingWindow(reportOpens: a, reportCloses: b, verifyOpens: c, verifyCloses: d)
    }
}

/// The secretariat reopened reporting for one organisation until a day.
public final class WindowExtensionModel: Model, @unchecked Sendable {
    public static let schema = "window_extensions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "window_id") public var window: ReportingWindowModel
    @Parent(key: "organisation_id") public var organisation: OrganisationModel
    @Field(key: "until_day") public var until: String
    @Field(key: "reason") public var reason: String

    public init() {}
}

/// An implementer's report on one target, and the secretariat's score of it.
public final class TargetReportModel: Model, @unchecked Sendable {
    public static let schema = "target_reports"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "target_id") public var target: TargetModel
    @Parent(key: "organisation_id") public var organisation: OrganisationModel
    @Field(key: "status") public var status: ReportStatus
    @Field(key: "achievement") public var achievement: String
    @Field(key: "progress") public var progress: Int
    @OptionalField(key: "submitted_at") public var submittedAt: Date?
    @Field(key: "is_late") public var isLate: Bool
    @OptionalField(key: "score") public var score: Int?
    @Field(key: "not_applicable") public var notApplicable: Bool
    @Field(key: "not_applicable_reason") public var notApplicableReason: String
    @OptionalField(key: "scored_at") public var scoredAt: Date?
    @Children(for: \.$report) public var evidence: [EvidenceModel]
    @Children(for: \.$report) public var messages: [ReportMessageModel]
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(targetID: UUID, organisationID: UUID) {
        self.$target.id = targetID
        self.$organisation.id = organisationID
        self.status = .draft
        self.achievement = ""
        self.progress = 0
        self.isLate = false
        self.notApplicable = false
        self.notApplicableReason = ""
    }

    /// The score as the domain sees it, once there is one.
    var domainScore: Score? {
        if notApplicable { return .notApplicable }
        return score.map(Score.points)
    }

    /// What a period's results know of a target from its report (nil: none): reported once handed in, scored once
    /// scored. Read from a model or from plain columns alike.
    static func outcome(status: ReportStatus?, submitted: Bool, score: Int?, notApplicable: Bool) -> TargetOutcome {
        guard let status else { return .notReported }
        return TargetOutcome(reported: submitted || status == .submitted || status == .scored,
                             score: status == .scored ? (notApplicable ? .notApplicable : score.map(Score.points)) : nil)
    }
}

/// Evidence for a report: a stored file (kept by its SHA-256, never under its uploaded name) or a link.
public final class EvidenceModel: Model, @unchecked Sendable {
    public static let schema = "evidence"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "report_id") public var report: TargetReportModel
    @OptionalField(key: "url") public var url: String?
    @OptionalField(key: "sha256") public var sha256: String?
    @Field(key: "file_name") public var fileName: String
    @OptionalField(key: "media_type") public var mediaType: String?
    @Field(key: "size") public var size: Int
    @Field(key: "is_public") public var isPublic: Bool
    @Field(key: "description") public var description: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    var isFile: Bool { sha256 != nil }
}

/// A message on a report: the secretariat's request for clarification, the implementer's answer, a staff note.
public final class ReportMessageModel: Model, @unchecked Sendable {
    public static let schema = "report_messages"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "report_id") public var report: TargetReportModel
    @OptionalField(key: "author_id") public var authorID: UUID?
    @Field(key: "author_name") public var authorName: String
    @Field(key: "author_role") public var authorRole: UserRole
    @Field(key: "body") public var body: String
    @Field(key: "kind") public var kind: ReportMessageKind
    /// For a clarification request: the last day to answer it, counted in working days.
    @OptionalField(key: "answer_due") public var answerDue: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// The secretariat's assessment of a commitment in a semester: a score override and the co-creation rating.
public final class CommitmentAssessmentModel: Model, @unchecked Sendable {
    public static let schema = "commitment_assessments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @Parent(key: "semester_id") public var semester: PlanSemesterModel
    @OptionalField(key: "score_override") public var scoreOverride: Int?
    @Field(key: "override_reason") public var overrideReason: String
    @OptionalField(key: "cocreation_rating") public var coCreationRating: CoCreationRating?
    @Field(key: "cocreation_justification") public var coCreationJustification: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A semester whose results the secretariat has made public.
public final class SemesterPublicationModel: Model, @unchecked Sendable {
    public static let schema = "semester_publications"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "semester_id") public var semester: PlanSemesterModel
    @Field(key: "published_at") public var publishedAt: Date
    @Field(key: "published_by") public var publishedBy: String
    /// Why it was published although incomplete; empty when it was complete.
    @Field(key: "reason") public var reason: String

    public init() {}
}

/// The secretariat's assessment of a commitment for a whole year: an override of the year's result and the
/// year's co-creation rating, which may differ from those of the year's last semester.
public final class YearAssessmentModel: Model, @unchecked Sendable {
    public static let schema = "year_assessments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @Field(key: "year") public var year: Int
    @OptionalField(key: "score_override") public var scoreOverride: Int?
    @Field(key: "override_reason") public var overrideReason: String
    @OptionalField(key: "cocreation_rating") public var coCreationRating: CoCreationRating?
    @Field(key: "cocreation_justification") public var coCreationJustification: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A year whose results the secretariat has made public.
public final class YearPublicationModel: Model, @unchecked Sendable {
    public static let schema = "year_publications"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Field(key: "year") public var year: Int
    @Field(key: "published_at") public var publishedAt: Date
    @Field(key: "published_by") public var publishedBy: String
    @Field(key: "reason") public var reason: String

    public init() {}
}

/// A change to a published result, made by the secretariat with a reason and shown to the public: a report's
/// score, or a commitment's assessment for a semester or a year.
public final class ResultCorrectionModel: Model, @unchecked Sendable {
    public static let schema = "result_corrections"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    /// The semester code (`B12`) or the year (`2021`).
    @Field(key: "period") public var period: String
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    /// The report whose score was corrected; nil for a commitment's assessment.
    @OptionalParent(key: "report_id") public var report: TargetReportModel?
    @Field(key: "made_at") public var madeAt: Date
    @Field(key: "made_by") public var madeBy: String
    @Field(key: "reason") public var reason: String
    /// The result before and after, as `ResultCorrection.Value` JSON.
    @Field(key: "before") public var before: String
    @Field(key: "after") public var after: String

    public init() {}
}
