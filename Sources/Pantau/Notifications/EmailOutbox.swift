import Fluent
import Foundation
import PantauDomain
import SQLKit

/// Sends the emails of notifications chosen "at once" (`NotificationDelivery.immediately`). A process claims a few
/// due messages for a while (a lease in the row, taken by one UPDATE, so two processes never hold the same row), sends
/// them, and marks each sent or failed. A process killed while sending leaves its claims to run out; another process
/// then sends those not yet marked, under the same Message-ID. A temporary refusal is tried again later, each time
/// waiting longer; a permanent one, or too many tries, is recorded as failed for the secretariat to see.
struct EmailOutbox: Sendable {
    let client: SMTPClient
    let localizer: Localizer
    /// The site's address for links in the emails (`PANTAU_PUBLIC_URL`).
    let publicURL: String
    /// Who this process is, in the claims it takes.
    let worker: String

    static let batchSize = 20
    static let lease: TimeInterval = 300
    static let maximumAttempts = 8

    /// Wait before try `attempts + 1`: a minute, doubling, at most an hour.
    static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(3600, 60 * pow(2, Double(max(0, attempts - 1))))
    }

    /// Claims and sends one batch; returns how many were sent.
    @discardableResult
    func sendDue(now: Date, on database: any Database) async throws -> Int {
        let claimed = try await claim(now: now, on: database)
        guard !claimed.isEmpty else { return 0 }
        let users = Dictionary(try await UserModel.query(on: database).filter(\.$id ~~ claimed.map { $0.$user.id }).all().map { ($0.id!, $0) },
                               uniquingKeysWith: { a, _ in a })
        var sendable: [(NotificationModel, SMTPEnvelope)] = []
        for notification in claimed {
            guard let user = users[notification.$user.id], user.isActive else {
                try await mark(notification, failed: "account deactivated", now: now, on: database)
                continue
            }
            sendable.append((notification, SMTPEnvelope(from: client.settings.from, recipient: user.email, data: message(notification, to: user, now: now).rendered)))
        }
        guard !sendable.isEmpty else { return 0 }
        let results: [SMTPError?]
        do {
            results = try await client.send(sendable.map(\.1))
        } catch {
            for (notification, _) in sendable { try await retryLater(notification, error: "\(error)", now: now, on: database) }
            return 0
        }
        var sent = 0
        for ((notification, _), result) in zip(sendable, results) {
            if let result {
                if result.isTemporary { try await retryLater(notification, error: result.description, now: now, on: database) }
                else { try await mark(notification, failed: result.description, now: now, on: database) }
            } else {
                notification.emailState = .sent
                notification.sentAt = now
                notification.attempts += 1
                notification.claimedUntil = nil
                try await notification.save(on: database)
                sent += 1
            }
        }
        return sent
    }

    /// Takes up to `batchSize` due messages whose claim is free or ran out, in one statement.
    private func claim(now: Date, on database: any Database) async throws -> [NotificationModel] {
        let sql = database as! any SQLDatabase
        let skipLocked = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        try await sql.raw("""
            UPDATE notifications SET claimed_by = \(bind: worker), claimed_until = \(bind: now.addingTimeInterval(Self.lease))
            WHERE id IN (SELECT id FROM notifications
                         WHERE email_state = 'pending' AND delivery = 'immediately' AND next_attempt_at <= \(bind: now)
                           AND (claimed_until IS NULL OR claimed_until < \(bind: now))
                         ORDER BY created_at LIMIT \(unsafeRaw: String(Self.batchSize))\(unsafeRaw: skipLocked))
              AND (claimed_until IS NULL OR claimed_until < \(bind: now))
            """).run()
        return try await NotificationModel.query(on: database).filter(\.$claimedBy == worker).filter(\.$emailState == .pending)
            .filter(\.$claimedUntil > now).sort(\.$createdAt).all()
    }

    private func retryLater(_ notification: NotificationModel, error: String, now: Date, on database: any Database) async throws {
        notification.attempts += 1
        guard notification.attempts < Self.maximumAttempts else {
            try await mark(notification, failed: error, now: now, on: database)
            return
        }
        notification.lastError = String(error.prefix(500))
        notification.nextAttemptAt = now.addingTimeInterval(Self.backoff(afterAttempts: notification.attempts))
        notification.claimedUntil = nil
        try await notification.save(on: database)
    }

    private func mark(_ notification: NotificationModel, failed error: String, now: Date, on database: any Database) async throws {
        notification.emailState = .failed
        notification.lastError = String(error.prefix(500))
        notification.claimedUntil = nil
        try await notification.save(on: database)
    }

    /// The email of a notification, in the recipient's language, with the link back and where to change the choice.
    func message(_ notification: NotificationModel, to user: UserModel, now: Date) -> EmailMessage {
        let language = Language(rawValue: user.language) ?? .id
        let words = Notifier.words(notification, language: language, localizer: localizer)
        let link = publicURL + notification.link
        let settings = publicURL + SiteURL.account.path() + "#notifications"
        let footer = localizer.text("email.footer", language, [settings])
        let text = words.body + "\n\n" + link + "\n\n-- \n" + footer + "\n"
        let html = "<p>\(EmailMessage.escaped(words.body))</p>\n<p><a href=\"\(EmailMessage.escaped(link))\">\(EmailMessage.escaped(link))</a></p>\n"
            + "<hr>\n<p style=\"color:#555\">\(EmailMessage.escaped(footer))</p>\n"
        return EmailMessage(from: client.settings.from, fromName: "Pantau", to: user.email, subject: words.subject, text: text, html: html,
                            messageID: notification.messageID, date: notification.createdAt, unsubscribeURL: settings)
    }
}
