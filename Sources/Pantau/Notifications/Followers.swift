import Crypto
import Fluent
import Foundation
import PantauDomain
import SQLKit

/// Anyone may follow a plan, or one commitment, by email (issue 16): asking writes an unconfirmed follower and a
/// confirmation email; only the link in that email starts the following (double opt-in), and every email carries the
/// link that ends it. The answer to a request never says whether the address already follows, so the form tells
/// nobody who reads what. Requests are limited per sender and per address, so that the form cannot be used to flood
/// someone's inbox.
enum Followers {
    /// Requests one sender (an address on the internet) may make in `window`.
    static let maximumPerSender = 5
    /// Confirmation emails one email address may be sent in `window`.
    static let maximumPerAddress = 3
    static let window: TimeInterval = 3600

    /// Asks to follow `plan` (or its commitment `commitmentID`) at `email`; a confirmation email is queued unless the
    /// address already follows it.
    static func request(email rawEmail: String, plan: ActionPlanModel, commitmentID: UUID?, language: Language, address: String?,
                        now: Date, on database: any Database) async throws {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard AccountCreation.isPlausibleEmail(email), email.count <= 254 else {
            throw FieldError(field: "email", error: .invalid(key: "follow.bad_email", arguments: [rawEmail]))
        }
        let planID = try plan.requireID()
        let subject = commitmentID.map { "commitment:" + $0.uuidString.lowercased() } ?? "plan:" + planID.uuidString.lowercased()
        let sender = senderKey(address)
        try await retryingWhenSQLiteIsBusy {
            try await database.transaction { db in
                let since = now.addingTimeInterval(-window)
                let bySender = try await FollowerModel.query(on: db).filter(\.$senderKey == sender).filter(\.$createdAt > since).count()
                guard bySender < maximumPerSender else { throw AppError.tooManyAttempts(minutes: Int(window / 60)) }
                let toAddress = try await FollowerEmailModel.query(on: db).join(FollowerModel.self, on: \FollowerEmailModel.$follower.$id == \FollowerModel.$id)
                    .filter(FollowerModel.self, \.$email == email).filter(\.$kind == .confirm).filter(\.$createdAt > since).count()
                guard toAddress < maximumPerAddress else { throw AppError.tooManyAttempts(minutes: Int(window / 60)) }
                let follower: FollowerModel
                if let existing = try await FollowerModel.query(on: db).filter(\.$email == email).filter(\.$subject == subject).first() {
                    // Already following: nothing to confirm, and nothing that tells the asker so.
                    guard existing.confirmedAt == nil || existing.unsubscribedAt != nil else { return }
                    existing.confirmedAt = nil
                    existing.unsubscribedAt = nil
                    existing.language = language.rawValue
                    existing.senderKey = sender
                    existing.createdAt = now
                    try await existing.save(on: db)
                    follower = existing
                } else {
                    follower = FollowerModel()
                    follower.email = email
                    follower.$plan.id = planID
                    follower.$commitment.id = commitmentID
                    follower.subject = subject
                    follower.language = language.rawValue
                    follower.token = newToken()
                    follower.senderKey = sender
                    follower.createdAt = now
                    try await follower.create(on: db)
                }
                let what = try await subjectName(plan: plan, commitmentID: commitmentID, on: db)
                try await queue(.confirm, arguments: [what], link: SiteURL.followConfirm.path(follower.token), to: follower, now: now, on: db)
            }
        }
    }

    /// Confirms the following the token names; false when no follower has it.
    static func confirm(token: String, now: Date, on database: any Database) async throws -> FollowerModel? {
        guard let follower = try await FollowerModel.query(on: database).filter(\.$token == token).with(\.$plan).first() else { return nil }
        if follower.confirmedAt == nil || follower.unsubscribedAt != nil {
            follower.confirmedAt = now
            follower.unsubscribedAt = nil
            try await follower.save(on: database)
        }
        return follower
    }

    /// Ends the following the token names; nil when no follower has it.
    static func unsubscribe(token: String, now: Date, on database: any Database) async throws -> FollowerModel? {
        guard let follower = try await FollowerModel.query(on: database).filter(\.$token == token).with(\.$plan).first() else { return nil }
        if follower.unsubscribedAt == nil {
            follower.unsubscribedAt = now
            try await follower.save(on: database)
        }
        return follower
    }

    /// Queues `kind` for everyone following the plan, or one of `commitments` (each address once).
    static func tell(_ kind: FollowerEmailModel.Kind, planID: UUID, commitments: [UUID], arguments: [String], link: String, now: Date,
                     on database: any Database) async throws {
        let subjects = ["plan:" + planID.uuidString.lowercased()] + commitments.map { "commitment:" + $0.uuidString.lowercased() }
        let followers = try await FollowerModel.query(on: database).filter(\.$plan.$id == planID).filter(\.$subject ~~ subjects)
            .filter(\.$confirmedAt != nil).filter(\.$unsubscribedAt == nil).sort(\.$createdAt).all()
        var told: Set<String> = []
        for follower in followers where told.insert(follower.email).inserted {
            try await queue(kind, arguments: arguments, link: link, to: follower, now: now, on: database)
        }
    }

    private static func queue(_ kind: FollowerEmailModel.Kind, arguments: [String], link: String, to follower: FollowerModel, now: Date,
                              on database: any Database) async throws {
        let email = FollowerEmailModel()
        let id = UUID()
        email.id = id
        email.$follower.id = try follower.requireID()
        email.kind = kind
        email.arguments = String(decoding: try JSONEncoder().encode(arguments), as: UTF8.self)
        email.link = link
        email.emailState = .pending
        email.attempts = 0
        email.nextAttemptAt = now
        email.lastError = ""
        email.messageID = "<follow-\(id.uuidString.lowercased())@pantau>"
        email.createdAt = now
        try await email.create(on: database)
    }

    /// "Rencana Aksi … (code)" or "Komitmen 3: … (code)", in the plan's own words.
    static func subjectName(plan: ActionPlanModel, commitmentID: UUID?, on database: any Database) async throws -> String {
        guard let commitmentID, let commitment = try await CommitmentModel.find(commitmentID, on: database) else {
            return "\(plan.title) (\(plan.code))"
        }
        return "\(commitment.number). \(commitment.title) (\(plan.code))"
    }

    static func newToken() -> String {
        Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func senderKey(_ address: String?) -> String {
        let digest = SHA256.hash(data: Data(("pantau-follow:" + (address ?? "unknown")).utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}
