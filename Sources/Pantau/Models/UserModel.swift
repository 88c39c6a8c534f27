import Fluent
import Foundation
import PantauDomain

/// An account. An implementer belongs to exactly one organisation; the other roles to none.
public final class UserModel: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// Stored lowercased so that sign-in is not case sensitive.
    @Field(key: "email") public var email: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: UserRole
    @OptionalParent(key: "organisation_id") public var organisation: OrganisationModel?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Set while the account is deactivated (`UpdateUsersAddDeactivation`): it cannot sign in, and nothing it held works.
    @OptionalField(key: "deactivated_at") public var deactivatedAt: Date?
    /// A secretariat or reviewer account that acts on every plan (the national secretariat); others act on the plans
    /// given to them (`PlanGrantModel`).
    @Field(key: "all_plans") public var allPlans: Bool
    /// `id` or `en`: the language of what Pantau writes to the account (notifications and their emails).
    @Field(key: "language") public var language: String
    /// The hour (0-23, WIB) of the account's daily digest.
    @Field(key: "digest_hour") public var digestHour: Int

    public var isActive: Bool { deactivatedAt == nil }

    public init() {}

    /// `allPlans` defaults to every plan for secretariat and reviewer accounts, as before plans were given one by one.
    public init(id: UUID? = nil, name: String, email: String, passwordHash: String, role: UserRole, organisationID: UUID?,
                allPlans: Bool? = nil) {
        self.id = id
        self.name = name
        self.email = email.lowercased()
        self.passwordHash = passwordHash
        self.role = role
        self.$organisation.id = organisationID
        self.allPlans = allPlans ?? (role != .implementer)
        language = Language.id.rawValue
        digestHour = 7
    }
}
