import Fluent
import Foundation
import PantauDomain

/// One notification to one account: listed in the app, and the outbox row of its email. Written in the same
/// transaction as the change that caused it, so that nothing is lost; its words are made from its kind and
/// arguments when it is shown or sent, in the recipient's language of that moment.
public final class NotificationModel: Model, @unchecked Sendable {
    public static let schema = "notifications"

    /// Where the email of a notification stands.
    public enum EmailState: String, Codable, Sendable {
        /// To be sent (at once, or in the next digest).
        case pending
        /// Accepted by the mail server.
        case sent
        /// Refused for good by the mail server, or given up after retries: shown to the secretariat.
        case failed
        /// No email: the recipient chose none for this kind.
        case none
        /// Not sent: it waited longer than `EmailOutbox.expiry` for a mail server (shown to the secretariat).
        case expired
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Field(key: "kind") public var kind: NotificationKind
    /// The values its text names (a target, a plan, a date), as a JSON array of strings.
    @Field(key: "arguments") public var arguments: String
    /// The page the notification is about, a path of this site.
    @Field(key: "link") public var link: String
    @Field(key: "delivery") public var delivery: NotificationDelivery
    @Field(key: "email_state") public var emailState: EmailState
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    /// The server process sending it, until `claimedUntil`: after a crash, another takes it over when that passes.
    @OptionalField(key: "claimed_by") public var claimedBy: String?
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Field(key: "last_error") public var lastError: String
    /// Stable across retries: a message sent twice after a crash is recognisably the same message.
    @Field(key: "message_id") public var messageID: String
    @OptionalField(key: "read_at") public var readAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    /// The daily digest that carries it, once its digest is made.
    @OptionalParent(key: "digest_id") public var digest: EmailDigestModel?

    public init() {}
}

/// One daily digest email to one account: the notifications it chose to receive that way since the digest before,
/// sent through the same outbox as the notifications sent at once.
public final class EmailDigestModel: Model, @unchecked Sendable {
    public static let schema = "email_digests"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    /// The digest moment it is for (the account's digest hour, WIB); one digest per account and moment.
    @Field(key: "due_at") public var dueAt: Date
    @Field(key: "email_state") public var emailState: NotificationModel.EmailState
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @OptionalField(key: "claimed_by") public var claimedBy: String?
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Field(key: "last_error") public var lastError: String
    @Field(key: "message_id") public var messageID: String
    @Field(key: "created_at") public var createdAt: Date
    @Children(for: \.$digest) public var notifications: [NotificationModel]

    public init() {}
}

/// An event already notified (a window opening for an organisation, a deadline passed): written in the same
/// transaction as its notifications, so that each scheduled notification goes out once whichever process sees it.
public final class NotificationEventModel: Model, @unchecked Sendable {
    public static let schema = "notification_events"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// An account's choice for one kind (`NotificationDelivery`); a kind without a row is sent at once.
public final class NotificationPreferenceModel: Model, @unchecked Sendable {
    public static let schema = "notification_preferences"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Field(key: "kind") public var kind: NotificationKind
    @Field(key: "delivery") public var delivery: NotificationDelivery

    public init() {}

    public init(userID: UUID, kind: NotificationKind, delivery: NotificationDelivery) {
        $user.id = userID
        self.kind = kind
        self.delivery = delivery
    }
}

/// Someone following a plan, or one commitment of it, by email: written unconfirmed, confirmed through the link sent to
/// that address (double opt-in), and ended by the link in every email. The token is the person's only key.
public final class FollowerModel: Model, @unchecked Sendable {
    public static let schema = "followers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Parent(key: "plan_id") public var plan: ActionPlanModel
    @OptionalParent(key: "commitment_id") public var commitment: CommitmentModel?
    /// "plan:ID" or "commitment:ID": one following per address and subject.
    @Field(key: "subject") public var subject: String
    @Field(key: "language") public var language: String
    @Field(key: "token") public var token: String
    /// Who asked (a hash of the address the request came from), for the rate limit.
    @Field(key: "sender_key") public var senderKey: String
    @OptionalField(key: "confirmed_at") public var confirmedAt: Date?
    @OptionalField(key: "unsubscribed_at") public var unsubscribedAt: Date?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// One email to a follower (the confirmation request, a publication, a correction): the outbox row, sent by
/// `EmailOutbox` like the notifications, its words made in the follower's language when it is sent.
public final class FollowerEmailModel: Model, @unchecked Sendable {
    public static let schema = "follower_emails"

    public enum Kind: String, Codable, Sendable {
        case confirm
        case resultsPublished = "results_published"
        case resultCorrected = "result_corrected"
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "follower_id") public var follower: FollowerModel
    @Field(key: "kind") public var kind: Kind
    @Field(key: "arguments") public var arguments: String
    @Field(key: "link") public var link: String
    @Field(key: "email_state") public var emailState: NotificationModel.EmailState
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @OptionalField(key: "claimed_by") public var claimedBy: String?
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Field(key: "last_error") public var lastError: String
    @Field(key: "message_id") public var messageID: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
