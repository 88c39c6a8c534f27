import Fluent
import Foundation

/// A personal API token. Only its SHA-256 is stored; the token itself is shown once when created.
public final class APITokenModel: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: UserModel
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}

    public init(userID: UUID, name: String, tokenHash: String) {
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
    }
}

/// A sign-in attempt (`LoginThrottle`), counted from before its password is checked; a successful one is taken back,
/// so what stays are failures.
public final class LoginFailureModel: Model, @unchecked Sendable {
    public static let schema = "login_failures"

    @ID(key: .id) public var id: UUID?
    /// `pair:<client address>|<e-mail>`, `ip:<client address>` or `email:<e-mail>`.
    @Field(key: "subject") public var subject: String
    @Field(key: "failed_at") public var failedAt: Date

    public init() {}

    public init(subject: String, failedAt: Date) {
        self.subject = subject
        self.failedAt = failedAt
    }
}
