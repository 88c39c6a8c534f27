import Fluent
import Foundation
import PantauDomain

/// A numbered commitment of a plan with its narrative; its matrix hangs below it in goals.
public final class CommitmentModel: Model, @unchecked Sendable {
    public static let schema = "commitments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Field(key: "number") public var number: Int
    @Field(key: "title") public var title: String
    @Field(key: "theme") public var theme: String
    @Field(key: "problem") public var problem: String
    @Field(key: "commitment_text") public var commitmentText: String
    @Field(key: "how_it_solves") public var howItSolves: String
    @Field(key: "open_government_relevance") public var openGovernmentRelevance: String
    @Field(key: "rpjmn_alignment") public var rpjmnAlignment: String
    @Field(key: "sdg_alignment") public var sdgAlignment: String
    /// SDG target numbers separated by commas, such as `16.6,16.10`.
    @Field(key: "sdg_targets") public var sdgTargets: String
    @Field(key: "additional_information") public var additionalInformation: String
    @Field(key: "planning_directorate") public var planningDirectorate: String
    @OptionalField(key: "start_month") public var startMonth: String?
    @OptionalField(key: "end_month") public var endMonth: String?
    @Field(key: "note") public var note: String
    @Children(for: \.$commitment) public var goals: [GoalModel]
    @Children(for: \.$commitment) public var indicators: [IndicatorModel]
    @Children(for: \.$commitment) public var contacts: [ContactModel]
    @Children(for: \.$commitment) public var participants: [CommitmentOrganisationModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(planID: UUID, record: CommitmentRecord) {
        self.$plan.id = planID
        self.number = record.number
        self.title = record.title
        self.theme = record.theme
        self.problem = record.description.problem
        self.commitmentText = record.description.commitment
        self.howItSolves = record.description.howItSolves
        self.openGovernmentRelevance = record.description.openGovernmentRelevance
        self.rpjmnAlignment = record.description.rpjmnAlignment
        self.sdgAlignment = record.description.sdgAlignment
        self.sdgTargets = record.description.sdgTargets.joined(separator: ",")
        self.additionalInformation = record.description.additionalInformation
        self.planningDirectorate = record.planningDirectorate
        self.startMonth = record.start?.iso
        self.endMonth = record.end?.iso
        self.note = record.note
    }

    public var descriptionRecord: CommitmentDescription {
        CommitmentDescription(
            problem: problem, commitment: commitmentText, howItSolves: howItSolves,
            openGovernmentRelevance: openGovernmentRelevance, rpjmnAlignment: rpjmnAlignment,
            sdgAlignment: sdgAlignment,
            sdgTargets: sdgTargets.split(separator: ",").map(String.init),
            additionalInformation: additionalInformation
        )
    }
}

/// Links an organisation to a commitment in one role (proposer, responsible, related, partner).
public final class CommitmentOrganisationModel: Model, @unchecked Sendable {
    public static let schema = "commitment_organisations"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @Parent(key: "organisation_id") public var organisation: OrganisationModel
    @Field(key: "role") public var role: CommitmentRole
    @Field(key: "position") public var position: Int

    public init() {}

    public init(commitmentID: UUID, organisationID: UUID, role: CommitmentRole, position: Int) {
        self.$commitment.id = commitmentID
        self.$organisation.id = organisationID
        self.role = role
        self.position = position
    }
}

/// A point of contact of a commitment.
public final class ContactModel: Model, @unchecked Sendable {
    public static let schema = "commitment_contacts"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @Field(key: "position") public var position: Int
    @Field(key: "name") public var name: String
    @Field(key: "job_title") public var jobTitle: String
    @Field(key: "email") public var email: String
    @Field(key: "phone") public var phone: String

    public init() {}

    public init(commitmentID: UUID, position: Int, record: ContactRecord) {
        self.$commitment.id = commitmentID
        self.position = position
        self.name = record.name
        self.jobTitle = record.position
        self.email = record.email
        self.phone = record.phone
    }

    public var record: ContactRecord { ContactRecord(name: name, position: jobTitle, email: email, phone: phone) }
}

/// An indicator of achievement of a commitment, with its start and end months.
public final class IndicatorModel: Model, @unchecked Sendable {
    public static let schema = "commitment_indicators"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "commitment_id") public var commitment: CommitmentModel
    @Field(key: "position") public var position: Int
    @Field(key: "text") public var text: String
    @OptionalField(key: "start_month") public var startMonth: String?
    @OptionalField(key: "end_month") public var endMonth: String?

    public init() {}

    public init(commitmentID: UUID, position: Int, record: IndicatorRecord) {
        self.$commitment.id = commitmentID
        self.position = position
        self.text = record.text
        self.startMonth = record.start?.iso
        self.endMonth = record.end?.iso
    }

    public var record: IndicatorRecord {
        IndicatorRecord(text: text, start: startMonth.flatMap(YearMonth.init(iso:)), end: endMonth.flatMap(YearMonth.init(iso:)))
    }
}
