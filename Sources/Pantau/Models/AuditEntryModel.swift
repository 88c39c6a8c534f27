import Fluent
import Foundation

/// One recorded change: who, when, what before, what after, why. Entries are only ever appended;
/// each carries the hash of the one before it, so an edited or deleted entry breaks the chain.
public final class AuditEntryModel: Model, @unchecked Sendable {
    public static let schema = "audit_entries"

    @ID(custom: "sequence", generatedBy: .user) public var id: Int?
    @Field(key: "recorded_at") public var recordedAt: String
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "actor_name") public var actorName: String
    @Field(key: "action") public var action: String
    @Field(key: "object_type") public var objectType: String
    @Field(key: "object_id") public var objectID: String
    @OptionalField(key: "before_state") public var before: String?
    @OptionalField(key: "after_state") public var after: String?
    @Field(key: "reason") public var reason: String
    @Field(key: "previous_hash") public var previousHash: String
    @Field(key: "entry_hash") public var entryHash: String

    public init() {}
}
