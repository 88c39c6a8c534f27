import Fluent
import Foundation

/// What the secretariat writes into an evaluation report: highlighted commitments, general findings, follow-ups.
public final class EvaluationNoteModel: Model, @unchecked Sendable {
    public static let schema = "evaluation_notes"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    /// `B12` or `2021`.
    @Field(key: "period") public var period: String
    @Field(key: "highlights") public var highlights: String
    @Field(key: "findings") public var findings: String
    @Field(key: "follow_ups") public var followUps: String

    public init() {}
}
