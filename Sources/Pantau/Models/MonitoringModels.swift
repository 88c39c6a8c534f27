import Fluent
import Foundation
import PantauDomain

/// Whether an independent monitor's assessment is public yet.
public enum MonitorAssessmentState: String, Codable, Sendable {
    /// Seen by those who read the plan's unpublished work only.
    case draft
    /// Public: on the commitment's page, in the API and in open data.
    case published
}

/// A plan's independent monitor's assessment of a commitment in a semester (one per commitment and semester: the
/// monitoring body speaks with one voice, whichever of its accounts writes). Kept apart from the secretariat's
/// assessment (`CommitmentAssessmentModel`), which it never changes.
public final class MonitorAssessmentModel: Model, @unchecked Sendable {
    public static let schema = "monitor_assessments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @Parent(key: "semester_id") public var semester: PlanSemesterModel
    @Field(key: "rating") public var rating: CompletionRating
    @Field(key: "text") public var text: String
    @Field(key: "state") public var state: MonitorAssessmentState
    /// When it was first published; a later change keeps this date and is told by `updatedAt` and the history.
    @OptionalField(key: "published_at") public var publishedAt: Date?
    @OptionalField(key: "author_id") public var authorID: UUID?
    @Field(key: "author_name") public var authorName: String
    @Timestamp(key: "updated_at", on: .none) public var updatedAt: Date?

    public init() {}
}
