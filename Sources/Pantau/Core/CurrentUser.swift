import Crypto
import Fluent
import Foundation
import PantauDomain
import Vapor

/// The signed-in person answering a request, as every permission check sees them.
public struct CurrentUser: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let email: String
    public let role: UserRole
    public let organisationID: UUID?
    /// The plans the account acts on (`Permissions`).
    public let plans: PlanScope

    init(_ user: UserModel, plans: PlanScope = .all) {
        id = user.id!
        name = user.name
        email = user.email
        role = user.role
        organisationID = user.$organisation.id
        self.plans = plans
    }

    /// The account with the plans it acts on: every plan, or those given to it (one query).
    static func load(_ user: UserModel, on database: any Database) async throws -> CurrentUser {
        guard !user.allPlans, user.role != .implementer else { return CurrentUser(user) }
        let granted = try await PlanGrantModel.query(on: database).filter(\.$user.$id == user.requireID()).all(\.$plan.$id)
        return CurrentUser(user, plans: .only(Set(granted)))
    }

    /// The account as the permission table sees it.
    public var caller: Caller { Caller(role: role, organisationID: organisationID, plans: plans) }

    public var auditActor: AuditActor { AuditActor(id: id, name: "\(name) <\(email)>") }
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }

    /// Set by `AuthenticationMiddleware`: from the session on pages, from a bearer token on the API.
    public var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    var isAPI: Bool { SiteURL.isAPI(url.path) }

    /// The signed-in account as the permission table sees it (nil: a visitor).
    var caller: Caller? { currentUser?.caller }

    /// May the caller do `action` within `plan` (for something of no plan: at all)? `Permissions.table` decides.
    func may(_ action: Action, plan: UUID?) -> Bool { caller.may(action, inPlan: plan) }

    private struct UnreadNotificationsKey: StorageKey { typealias Value = Int }

    /// Set by `AuthenticationMiddleware` for a signed-in page request.
    var unreadNotifications: Int {
        get { storage[UnreadNotificationsKey.self] ?? 0 }
        set { storage[UnreadNotificationsKey.self] = newValue }
    }

    /// The actor recorded in the audit history for changes made by this request.
    var auditActor: AuditActor { currentUser?.auditActor ?? .system }
}

/// Who is asking: pages use the session cookie, the API only bearer tokens, so that a browser can never
/// be tricked into writing through the API with its cookie.
struct AuthenticationMiddleware: AsyncMiddleware {
    static let sessionUserKey = "user"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.isAPI {
            if let bearer = request.headers.bearerAuthorization {
                guard let user = try await APITokens.user(for: bearer.token, on: request.db) else {
                    throw AppError.invalidToken
                }
                request.currentUser = try await CurrentUser.load(user, on: request.db)
            }
        } else if let raw = request.sessionValue(Self.sessionUserKey) {
            // Sessions end on their own after a while without use (`SessionMiddleware`); one whose account is gone or
            // deactivated ends here, at its next request (deactivation also removes the rows, this covers a race with it).
            if let id = UUID(uuidString: raw), let user = try await UserModel.find(id, on: request.db), user.isActive {
                request.currentUser = try await CurrentUser.load(user, on: request.db)
                // For the header of every page: how many notifications the account has not opened.
                request.unreadNotifications = try await NotificationModel.query(on: request.db).filter(\.$user.$id == id)
                    .filter(\.$readAt == nil).count()
            } else {
                request.endSession()
            }
        }
        return try await next.respond(to: request)
    }
}

/// Personal API tokens: `pantau_` and 40 random characters; only their SHA-256 is kept.
public enum APITokens {
    public static func generate() -> String {
        "pantau_" + AccountCreation.generatePassword() + AccountCreation.generatePassword()
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func user(for token: String, on database: any Database) async throws -> UserModel? {
        guard let record = try await APITokenModel.query(on: database)
            .filter(\.$tokenHash == hash(token)).filter(\.$revokedAt == nil).with(\.$user).first(),
            record.user.isActive
        else { return nil }
        // Noted once a minute at most: a write (on PostgreSQL a commit flushed to disk) on every API call cost more than
        // the write the call was for, and a token's last use is shown to tell a forgotten token from one in use.
        let now = Date()
        if record.lastUsedAt.map({ now.timeIntervalSince($0) >= lastUseResolution || now < $0 }) ?? true {
            record.lastUsedAt = now
            try await record.save(on: database)
        }
        return record.user
    }

    /// How stale a token's recorded last use may be.
    static let lastUseResolution: TimeInterval = 60
}
