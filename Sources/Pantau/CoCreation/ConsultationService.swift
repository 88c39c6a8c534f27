import Crypto
import Fluent
import Foundation
import PantauDomain

/// Public comments on a draft plan's commitments while its consultation is open. A comment from an account
/// is shown at once; one from a visitor without an account carries a name and waits for the secretariat.
/// The secretariat may hide any comment and records how each was taken into account.
enum ConsultationService {
    /// Comments one sender (address or account) may send in `window`.
    static let maximumPerWindow = 5
    static let window: TimeInterval = 10 * 60
    static let maximumLength = 5_000

    struct CommentState: Codable, Sendable {
        let commitment: Int
        let author: String
        let status: CommentStatus
        let response: CommentResponse?
        let responseText: String
    }

    static func comment(planCode: String, number: Int, name: String, organisation: String, body: String, user: CurrentUser?, address: String?,
                        on database: any Database, now: Date = Date()) async throws -> CommentStatus {
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = (user?.name ?? name).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw FieldError(field: "body", error: .invalid(key: "consultation.empty_comment", arguments: [])) }
        guard !name.isEmpty else { throw FieldError(field: "name", error: .invalid(key: "consultation.name_required", arguments: [])) }
        guard body.count <= maximumLength else {
            throw FieldError(field: "body", error: .invalid(key: "form.too_long", arguments: ["\(maximumLength)"]))
        }
        guard name.count <= 200 else { throw FieldError(field: "name", error: .invalid(key: "form.too_long", arguments: ["200"])) }
        guard organisation.count <= 300 else { throw FieldError(field: "organisation", error: .invalid(key: "form.too_long", arguments: ["300"])) }
        let sender = senderKey(user: user, address: address)
        let actor = user?.auditActor ?? AuditActor(id: nil, name: name)
        return try await AuditLog.transaction(on: database, actor: actor) { db in
            let plan = try await DraftPlanService.draftPlan(code: planCode, on: db)
            let planID = try plan.requireID()
            guard try await DraftPlanService.phases(planID: planID, on: db).consultationOpen else {
                throw AppError.conflict(key: "consultation.closed", arguments: [planCode])
            }
            guard let commitment = try await CommitmentModel.query(on: db).filter(\.$plan.$id == planID).filter(\.$number == number).first() else {
                throw AppError.commitmentNotFound(plan: planCode, number: "\(number)")
            }
            let recent = try await ConsultationCommentModel.query(on: db).filter(\.$senderKey == sender)
                .filter(\.$createdAt > now.addingTimeInterval(-window)).count()
            guard recent < maximumPerWindow else { throw AppError.tooManyAttempts(minutes: Int(window / 60)) }
            let comment = ConsultationCommentModel()
            comment.$plan.id = planID
            comment.$commitment.id = try commitment.requireID()
            comment.userID = user?.id
            comment.authorName = name
            comment.authorOrganisation = organisation.trimmingCharacters(in: .whitespacesAndNewlines)
            comment.body = body
            comment.status = user == nil ? .pending : .published
            comment.responseText = ""
            comment.senderKey = sender
            try await comment.create(on: db)
            if comment.status == .pending {
                try await Notifier.notify(.commentAwaitingModeration, arguments: [planCode, "\(number)"],
                                          link: SiteURL.cocreationComments.path(planCode), to: try await Notifier.secretariats(of: planID, on: db),
                                          now: now, on: db)
            }
            return (comment.status, [AuditChange(action: "comment.submit", objectType: "comment", objectID: try comment.requireID().uuidString,
                                                 before: Optional<CommentState>.none, after: state(of: comment, number: number))])
        }
    }

    /// Publishes or hides a comment, and records how it was taken into account.
    static func moderate(commentID: UUID, status: CommentStatus, response: CommentResponse?, responseText: String, by user: CurrentUser,
                         on database: any Database) async throws {
        try await AuditLog.transaction(on: database, actor: user.auditActor) { db in
            guard let comment = try await ConsultationCommentModel.query(on: db).filter(\.$id == commentID).with(\.$commitment).first() else {
                throw AppError.notFound(what: "comment")
            }
            guard user.caller.may(.moderate, plan: comment.$plan.id) else { throw AppError.forbidden }
            let before = state(of: comment, number: comment.commitment.number)
            comment.status = status
            comment.response = response
            comment.responseText = responseText.trimmingCharacters(in: .whitespacesAndNewlines)
            guard comment.responseText.count <= maximumLength else { throw AppError.invalid(key: "form.too_long", arguments: ["\(maximumLength)"]) }
            try await comment.save(on: db)
            let after = state(of: comment, number: comment.commitment.number)
            guard before.status != after.status || before.response != after.response || before.responseText != after.responseText else {
                return ((), [])
            }
            return ((), [AuditChange(action: "comment.moderate", objectType: "comment", objectID: commentID.uuidString, before: before, after: after)])
        }
    }

    private static func state(of comment: ConsultationCommentModel, number: Int) -> CommentState {
        CommentState(commitment: number, author: comment.authorName, status: comment.status, response: comment.response,
                     responseText: comment.responseText)
    }

    /// Accounts are limited as themselves; visitors by a hash of their address, which is not kept in clear.
    static func senderKey(user: CurrentUser?, address: String?) -> String {
        if let user { return "user:" + user.id.uuidString }
        let digest = SHA256.hash(data: Data(("pantau-consultation:" + (address ?? "unknown")).utf8))
        return "ip:" + digest.map { String(format: "%02x", $0) }.joined()
    }
}
