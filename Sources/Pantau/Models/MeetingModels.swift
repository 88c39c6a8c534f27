import Fluent
import Foundation
import PantauDomain

/// The minutes of a co-creation meeting. The minutes themselves are kept whole as JSON (`content`);
/// the columns beside them are what lists and links need.
public final class MeetingModel: Model, @unchecked Sendable {
    public static let schema = "meetings"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Field(key: "title") public var title: String
    @Field(key: "meeting_date") public var date: String
    @Field(key: "content") public var content: String
    @Field(key: "is_published") public var isPublished: Bool
    @OptionalField(key: "recorded_by_id") public var recordedByID: UUID?
    @OptionalParent(key: "organisation_id") public var organisation: OrganisationModel?
    @Children(for: \.$meeting) public var links: [MeetingCommitmentModel]
    @Children(for: \.$meeting) public var attachments: [MeetingAttachmentModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "published_at") public var publishedAt: Date?

    public init() {}

    var record: MeetingRecord? { try? JSONDecoder().decode(MeetingRecord.self, from: Data(content.utf8)) }
}

public final class MeetingCommitmentModel: Model, @unchecked Sendable {
    public static let schema = "meeting_commitments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "meeting_id") public var meeting: MeetingModel
    @Parent(key: "commitment_id") public var commitment: CommitmentModel

    public init() {}
}

/// A file attached to minutes (attendance list, photos), stored like evidence by its SHA-256.
public final class MeetingAttachmentModel: Model, @unchecked Sendable {
    public static let schema = "meeting_attachments"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "meeting_id") public var meeting: MeetingModel
    @Field(key: "sha256") public var sha256: String
    @Field(key: "file_name") public var fileName: String
    @Field(key: "media_type") public var mediaType: String
    @Field(key: "size") public var size: Int

    public init() {}
}

/// A member of a plan's multi-stakeholder forum: an organisation of the list, in a seat.
public final class ForumMemberModel: Model, @unchecked Sendable {
    public static let schema = "forum_members"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @Parent(key: "organisation_id") public var organisation: OrganisationModel
    @Field(key: "seat") public var seat: ForumSeat
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(planID: UUID, organisationID: UUID, seat: ForumSeat) {
        self.$plan.id = planID
        self.$organisation.id = organisationID
        self.seat = seat
    }
}
