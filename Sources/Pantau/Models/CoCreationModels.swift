import Fluent
import Foundation
import PantauDomain

/// The co-creation phases of a draft plan the secretariat opens and closes: the call for proposals and the
/// public consultation.
public final class CoCreationPhaseModel: Model, @unchecked Sendable {
    public static let schema = "cocreation_phases"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Field(key: "proposals_open") public var proposalsOpen: Bool
    @Field(key: "consultation_open") public var consultationOpen: Bool
    /// Whether agencies (K/L accounts) may propose too; CSOs always may while the call is open.
    @Field(key: "agencies_may_propose") public var agenciesMayPropose: Bool
    /// `CoCreationTimeline` as JSON; nil until the secretariat sets a date.
    @OptionalField(key: "timeline") public var timelineJSON: String?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(planID: UUID) {
        self.$plan.id = planID
        self.proposalsOpen = false
        self.consultationOpen = false
        self.agenciesMayPropose = false
    }

    public var timeline: CoCreationTimeline {
        get { timelineJSON.flatMap { try? JSONDecoder().decode(CoCreationTimeline.self, from: Data($0.utf8)) } ?? CoCreationTimeline() }
        set { timelineJSON = newValue.isEmpty ? nil : String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }
}

/// A CSO's proposal for a commitment of a draft plan.
public final class ProposalModel: Model, @unchecked Sendable {
    public static let schema = "proposals"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    /// The proposing CSO whose account submitted it.
    @Parent(key: "organisation_id") public var organisation: OrganisationModel
    @OptionalField(key: "submitted_by_id") public var submittedByID: UUID?
    @Field(key: "title") public var title: String
    @Field(key: "problem") public var problem: String
    @Field(key: "commitment_text") public var commitmentText: String
    @Field(key: "how_it_solves") public var howItSolves: String
    /// `[ProposedMeasure]` as JSON: the success measures with their semester targets.
    @Field(key: "measures") public var measures: String
    /// Other proposing organisations, one name per line.
    @Field(key: "proposing_organisations") public var proposingOrganisations: String
    /// The agencies (K/L) it concerns, one name per line.
    @Field(key: "agencies") public var agencies: String
    @Field(key: "rpjmn_alignment") public var rpjmnAlignment: String
    /// SDG target numbers separated by commas.
    @Field(key: "sdg_targets") public var sdgTargets: String
    @Field(key: "stage") public var stage: ProposalStage
    @OptionalParent(key: "merged_into_id") public var mergedInto: ProposalModel?
    /// The draft commitment an adopted proposal became.
    @OptionalParent(key: "commitment_id") public var commitment: CommitmentModel?
    @Children(for: \.$proposal) public var stages: [ProposalStageModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A proposed success measure and what it should reach by each semester.
public struct ProposedMeasure: Codable, Hashable, Sendable {
    public var text: String
    public var targets: [TargetRecord]
}

/// One recorded step of a proposal: its stage, the day, the minutes of the meeting, and why.
public final class ProposalStageModel: Model, @unchecked Sendable {
    public static let schema = "proposal_stages"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "proposal_id") public var proposal: ProposalModel
    @Field(key: "stage") public var stage: ProposalStage
    @Field(key: "stage_date") public var date: String
    @OptionalParent(key: "meeting_id") public var meeting: MeetingModel?
    @Field(key: "note") public var note: String
    @Field(key: "recorded_by") public var recordedBy: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A comment on a commitment of a draft plan during its public consultation.
public final class ConsultationCommentModel: Model, @unchecked Sendable {
    public static let schema = "consultation_comments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "author_name") public var authorName: String
    @Field(key: "author_organisation") public var authorOrganisation: String
    @Field(key: "body") public var body: String
    @Field(key: "status") public var status: CommentStatus
    @OptionalField(key: "response") public var response: CommentResponse?
    @Field(key: "response_text") public var responseText: String
    /// A hash of the sender's address, for the rate limit; the address itself is not kept.
    @Field(key: "sender_key") public var senderKey: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

/// A version of an adopted plan: the whole plan as it stood, why it changed, and who changed it.
/// Version 1 is the plan as adopted.
public final class PlanVersionModel: Model, @unchecked Sendable {
    public static let schema = "plan_versions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Field(key: "number") public var number: Int
    @Field(key: "reason") public var reason: String
    @Field(key: "actor_name") public var actorName: String
    /// The plan document (the JSON export format) of this version.
    @Field(key: "content") public var content: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}
