import Fluent
import Foundation
import PantauDomain
import SQLKit
import Vapor

/// `/admin/emails`: what became of the notification emails, for the national secretariat (who manages accounts): how
/// many wait, went out or were not delivered, and each one not delivered, with the mail server's words, so that a
/// wrong address is corrected on the account.
struct EmailLogController {
    static let pageSize = 50

    struct Row: Encodable {
        let at: String
        /// The account to correct the address on; nil for a public follower, who has none.
        let userID: String?
        let name: String
        let email: String
        let subject: String
        let stateKey: String
        let attempts: Int
        let error: String
    }

    struct Page: Encodable {
        let page: PageMeta
        let hasMailServer: Bool
        let waiting: Int
        let sent: Int
        let undelivered: Int
        let rows: [Row]
        let hasRows: Bool
        let pages: PageLinks
    }

    func page(req: Request) async throws -> Response {
        let pageNumber = try PageLinks.requestedPage(req)
        let sql = req.db as! any SQLDatabase
        // Notifications sent at once and daily digests, one list: a digest's notifications share its outcome.
        let counts = try await sql.raw("""
            SELECT email_state, COUNT(*) AS n FROM notifications WHERE delivery = 'immediately' AND email_state <> 'none' GROUP BY email_state
            UNION ALL SELECT email_state, COUNT(*) AS n FROM email_digests GROUP BY email_state
            UNION ALL SELECT email_state, COUNT(*) AS n FROM follower_emails WHERE email_state <> 'none' GROUP BY email_state
            """).all()
        var byState: [String: Int] = [:]
        for row in counts { byState[try row.decode(column: "email_state", as: String.self), default: 0] += try row.decode(column: "n", as: Int.self) }
        let undelivered = (byState["failed"] ?? 0) + (byState["expired"] ?? 0)

        let notifications = try await NotificationModel.query(on: req.db).filter(\.$delivery == .immediately)
            .filter(\.$emailState ~~ [.failed, .expired]).with(\.$user).sort(\.$createdAt, .descending)
            .range(0..<(pageNumber * Self.pageSize)).all()
        let digests = try await EmailDigestModel.query(on: req.db).filter(\.$emailState ~~ [.failed, .expired])
            .with(\.$user).with(\.$notifications).sort(\.$createdAt, .descending).range(0..<(pageNumber * Self.pageSize)).all()
        let localizer = req.application.localizer
        var rows: [(Date, Row)] = notifications.map { notification in
            (notification.createdAt, row(at: notification.createdAt, user: notification.user,
                                         subject: Notifier.words(notification, language: req.language, localizer: localizer).subject,
                                         state: notification.emailState, attempts: notification.attempts, error: notification.lastError, req: req))
        }
        rows += digests.map { digest in
            (digest.createdAt, row(at: digest.createdAt, user: digest.user,
                                   subject: req.t("email.digest.subject", "\(digest.notifications.count)"),
                                   state: digest.emailState, attempts: digest.attempts, error: digest.lastError, req: req))
        }
        let followerEmails = try await FollowerEmailModel.query(on: req.db).filter(\.$emailState ~~ [.failed, .expired])
            .with(\.$follower).sort(\.$createdAt, .descending).range(0..<(pageNumber * Self.pageSize)).all()
        rows += followerEmails.map { email in
            let arguments = (try? JSONDecoder().decode([String].self, from: Data(email.arguments.utf8))) ?? []
            return (email.createdAt, Row(at: Formatting.jakartaDateTime(email.createdAt, req.language), userID: nil, name: req.t("emails.follower"),
                                         email: email.follower.email, subject: localizer.text("follow.email.\(email.kind.rawValue).subject", req.language, arguments),
                                         stateKey: "emails.state." + email.emailState.rawValue, attempts: email.attempts,
                                         error: error(email.lastError, req)))
        }
        let shown = rows.sorted { $0.0 > $1.0 }.dropFirst((pageNumber - 1) * Self.pageSize).prefix(Self.pageSize).map(\.1)
        let view = try await req.view.render("admin-emails", Page(
            page: PageMeta(request: req, title: req.t("emails.title")), hasMailServer: req.application.emailOutbox != nil,
            waiting: byState["pending"] ?? 0, sent: byState["sent"] ?? 0, undelivered: undelivered,
            rows: Array(shown), hasRows: !shown.isEmpty, pages: PageLinks(page: pageNumber, total: undelivered, size: Self.pageSize, request: req)))
        return try await view.encodeResponse(for: req)
    }

    private func row(at: Date, user: UserModel, subject: String, state: NotificationModel.EmailState, attempts: Int, error: String,
                     req: Request) -> Row {
        Row(at: Formatting.jakartaDateTime(at, req.language), userID: user.id?.uuidString, name: user.name, email: user.email,
            subject: subject, stateKey: "emails.state." + state.rawValue, attempts: attempts, error: self.error(error, req))
    }

    /// The mail server's words, or why Pantau gave up.
    private func error(_ text: String, _ req: Request) -> String {
        switch text {
        case EmailOutbox.expired: req.t("email.expired", "\(Int(EmailOutbox.expiry / 86_400))")
        case EmailOutbox.accountDeactivated: req.t("email.account_deactivated")
        default: text
        }
    }
}
