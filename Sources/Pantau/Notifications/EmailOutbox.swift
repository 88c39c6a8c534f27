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
    /// Who this process is, in the claims it takes: `pantau serve` names it by its host and port, so that a server
    /// started again after a crash takes back at once what it held (two live servers cannot share an address).
    var worker: String

    static let batchSize = 20
    static let lease: TimeInterval = 300
    static let maximumAttempts = 8
    /// Why Pantau itself gave up an email (not the mail server's words): read in the reader's language on `/admin/emails`.
    static let expired = "expired"
    static let accountDeactivated = "account_deactivated"

    /// Wait before try `attempts + 1`: a minute, doubling, at most an hour.
    static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(3600, 60 * pow(2, Double(max(0, attempts - 1))))
    }

    /// How long an email may wait for a mail server before it is given up as expired (shown to the secretariat): a
    /// reminder weeks late would mislead more than it helps.
    static let expiry: TimeInterval = 7 * 86_400

    /// One claimed email: a notification sent at once, or a daily digest.
    private struct Claimed {
        let table: String
        let id: UUID
        let attempts: Int
        let envelope: SMTPEnvelope
    }

    /// Expires what waited too long, makes the digests that are due, claims a batch of each outbox and sends it;
    /// returns how many were sent.
    @discardableResult
    func sendDue(now: Date, on database: any Database) async throws -> Int {
        try await expire(now: now, on: database)
        try await EmailDigests.assemble(now: now, on: database)
        var claimed: [Claimed] = []
        let notifications = try await claim(NotificationModel.schema, condition: "delivery = 'immediately'", now: now, on: database)
        if !notifications.isEmpty {
            let rows = try await NotificationModel.query(on: database).filter(\.$id ~~ notifications).sort(\.$createdAt).all()
            let users = try await accounts(rows.map { $0.$user.id }, on: database)
            for notification in rows {
                guard let user = users[notification.$user.id], user.isActive else {
                    try await finish(NotificationModel.schema, notification.id!, state: .failed, error: Self.accountDeactivated, now: now, on: database)
                    continue
                }
                claimed.append(Claimed(table: NotificationModel.schema, id: notification.id!, attempts: notification.attempts,
                                       envelope: envelope(message(notification, to: user, now: now), to: user)))
            }
        }
        let digests = try await claim(EmailDigestModel.schema, condition: "1 = 1", now: now, on: database)
        if !digests.isEmpty {
            let rows = try await EmailDigestModel.query(on: database).filter(\.$id ~~ digests).with(\.$notifications).all()
            let users = try await accounts(rows.map { $0.$user.id }, on: database)
            for digest in rows {
                guard let user = users[digest.$user.id], user.isActive else {
                    try await finish(EmailDigestModel.schema, digest.id!, state: .failed, error: Self.accountDeactivated, now: now, on: database)
                    continue
                }
                claimed.append(Claimed(table: EmailDigestModel.schema, id: digest.id!, attempts: digest.attempts,
                                       envelope: envelope(message(digest, to: user), to: user)))
            }
        }
        let followerEmails = try await claim(FollowerEmailModel.schema, condition: "1 = 1", now: now, on: database)
        if !followerEmails.isEmpty {
            let rows = try await FollowerEmailModel.query(on: database).filter(\.$id ~~ followerEmails).with(\.$follower).all()
            for email in rows {
                // Nobody is written to after saying stop, except to confirm a new request.
                guard email.kind == .confirm || email.follower.unsubscribedAt == nil else {
                    try await finish(FollowerEmailModel.schema, email.id!, state: .none, error: "unsubscribed", now: now, on: database)
                    continue
                }
                claimed.append(Claimed(table: FollowerEmailModel.schema, id: email.id!, attempts: email.attempts,
                                       envelope: SMTPEnvelope(from: client.settings.from, recipient: email.follower.email,
                                                              data: message(email).rendered)))
            }
        }
        guard !claimed.isEmpty else { return 0 }
        // Each message is marked as soon as the server answers for it: a crash then sends again at most the one
        // message in flight.
        var told = 0, sent = 0
        do {
            try await client.send(claimed.map(\.envelope)) { index, result in
                let item = claimed[index]
                if let result {
                    if result.isTemporary { try await retryLater(item, error: result.description, now: now, on: database) }
                    else { try await finish(item.table, item.id, state: .failed, error: result.description, now: now, on: database) }
                } else {
                    try await finish(item.table, item.id, state: .sent, error: "", now: now, on: database)
                    sent += 1
                }
                told = index + 1
            }
        } catch let error as SMTPError {
            for item in claimed[told...] { try await retryLater(item, error: "\(error)", now: now, on: database) }
        }
        return sent
    }

    private func accounts(_ ids: [UUID], on database: any Database) async throws -> [UUID: UserModel] {
        Dictionary(try await UserModel.query(on: database).filter(\.$id ~~ ids).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
    }

    private func envelope(_ message: EmailMessage, to user: UserModel) -> SMTPEnvelope {
        SMTPEnvelope(from: client.settings.from, recipient: user.email, data: message.rendered)
    }

    /// Takes up to `batchSize` due rows of an outbox table whose claim is free, ran out, or is this process's own from a
    /// life before a crash, in one statement; their ids.
    private func claim(_ table: String, condition: String, now: Date, on database: any Database) async throws -> [UUID] {
        let sql = database as! any SQLDatabase
        let skipLocked = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        try await sql.raw("""
            UPDATE \(unsafeRaw: table) SET claimed_by = \(bind: worker), claimed_until = \(bind: now.addingTimeInterval(Self.lease))
            WHERE id IN (SELECT id FROM \(unsafeRaw: table)
                         WHERE email_state = 'pending' AND \(unsafeRaw: condition) AND next_attempt_at <= \(bind: now)
                           AND (claimed_until IS NULL OR claimed_until < \(bind: now) OR claimed_by = \(bind: worker))
                         ORDER BY created_at LIMIT \(unsafeRaw: String(Self.batchSize))\(unsafeRaw: skipLocked))
              AND (claimed_until IS NULL OR claimed_until < \(bind: now) OR claimed_by = \(bind: worker))
            """).run()
        return try await sql.raw("""
            SELECT id FROM \(unsafeRaw: table) WHERE claimed_by = \(bind: worker) AND email_state = 'pending' AND claimed_until > \(bind: now)
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    private func retryLater(_ item: Claimed, error: String, now: Date, on database: any Database) async throws {
        let attempts = item.attempts + 1
        guard attempts < Self.maximumAttempts else {
            try await finish(item.table, item.id, state: .failed, error: error, now: now, on: database)
            return
        }
        let sql = database as! any SQLDatabase
        try await sql.raw("""
            UPDATE \(unsafeRaw: item.table) SET attempts = \(bind: attempts), last_error = \(bind: String(error.prefix(500))),
                next_attempt_at = \(bind: now.addingTimeInterval(Self.backoff(afterAttempts: attempts))), claimed_until = NULL
            WHERE id = \(bind: item.id)
            """).run()
    }

    /// Marks an email sent, failed or expired; a digest's notifications go with it.
    private func finish(_ table: String, _ id: UUID, state: NotificationModel.EmailState, error: String, now: Date,
                        on database: any Database) async throws {
        let sentAt: Date? = state == .sent ? now : nil
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            try await sql.raw("""
                UPDATE \(unsafeRaw: table) SET email_state = \(bind: state.rawValue), attempts = attempts + 1, sent_at = \(bind: sentAt),
                    last_error = \(bind: String(error.prefix(500))), claimed_until = NULL
                WHERE id = \(bind: id)
                """).run()
            if table == EmailDigestModel.schema {
                try await sql.raw("""
                    UPDATE notifications SET email_state = \(bind: state.rawValue), sent_at = \(bind: sentAt), last_error = \(bind: String(error.prefix(500)))
                    WHERE digest_id = \(bind: id)
                    """).run()
            }
        }
    }

    /// Gives up emails that waited longer than `expiry` (no mail server for a week, or one that kept refusing).
    private func expire(now: Date, on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let before = now.addingTimeInterval(-Self.expiry)
        let reason = Self.expired
        try await sql.raw("""
            UPDATE notifications SET email_state = 'expired', last_error = \(bind: reason)
            WHERE email_state = 'pending' AND created_at < \(bind: before) AND (claimed_until IS NULL OR claimed_until < \(bind: now))
              AND (delivery = 'immediately' OR digest_id IS NULL)
            """).run()
        try await sql.raw("""
            UPDATE notifications SET email_state = 'expired', last_error = \(bind: reason)
            WHERE email_state = 'pending' AND digest_id IN (SELECT id FROM email_digests WHERE email_state = 'pending' AND created_at < \(bind: before)
                                                               AND (claimed_until IS NULL OR claimed_until < \(bind: now)))
            """).run()
        try await sql.raw("""
            UPDATE follower_emails SET email_state = 'expired', last_error = \(bind: reason)
            WHERE email_state = 'pending' AND created_at < \(bind: before) AND (claimed_until IS NULL OR claimed_until < \(bind: now))
            """).run()
        try await sql.raw("""
            UPDATE email_digests SET email_state = 'expired', last_error = \(bind: reason)
            WHERE email_state = 'pending' AND created_at < \(bind: before) AND (claimed_until IS NULL OR claimed_until < \(bind: now))
            """).run()
    }

    /// The email of a notification, in the recipient's language, with the link back and where to change the choice.
    func message(_ notification: NotificationModel, to user: UserModel, now: Date) -> EmailMessage {
        let language = Language(rawValue: user.language) ?? .id
        let words = Notifier.words(notification, language: language, localizer: localizer)
        let link = publicURL + notification.link
        let (settings, footer) = footer(language)
        let text = words.body + "\n\n" + link + "\n\n-- \n" + footer + "\n"
        let html = "<p>\(EmailMessage.escaped(words.body))</p>\n<p><a href=\"\(EmailMessage.escaped(link))\">\(EmailMessage.escaped(link))</a></p>\n"
            + "<hr>\n<p style=\"color:#555\">\(EmailMessage.escaped(footer))</p>\n"
        return EmailMessage(from: client.settings.from, fromName: "Pantau", to: user.email, subject: words.subject, text: text, html: html,
                            messageID: notification.messageID, date: notification.createdAt, unsubscribeURL: settings)
    }

    /// A daily digest: every notification it carries, oldest first, each with its link.
    func message(_ digest: EmailDigestModel, to user: UserModel) -> EmailMessage {
        let language = Language(rawValue: user.language) ?? .id
        let notifications = digest.notifications.sorted { ($0.createdAt, $0.messageID) < ($1.createdAt, $1.messageID) }
        let (settings, footer) = footer(language)
        let intro = localizer.text("email.digest.intro", language, [])
        var text = intro + "\n"
        var html = "<p>\(EmailMessage.escaped(intro))</p>\n<ul>\n"
        for notification in notifications {
            let words = Notifier.words(notification, language: language, localizer: localizer)
            let link = publicURL + notification.link
            text += "\n* " + words.subject + "\n  " + words.body + "\n  " + link + "\n"
            html += "<li><p><strong>\(EmailMessage.escaped(words.subject))</strong><br>\(EmailMessage.escaped(words.body))<br>"
                + "<a href=\"\(EmailMessage.escaped(link))\">\(EmailMessage.escaped(link))</a></p></li>\n"
        }
        text += "\n-- \n" + footer + "\n"
        html += "</ul>\n<hr>\n<p style=\"color:#555\">\(EmailMessage.escaped(footer))</p>\n"
        return EmailMessage(from: client.settings.from, fromName: "Pantau", to: user.email,
                            subject: localizer.text("email.digest.subject", language, ["\(notifications.count)"]), text: text, html: html,
                            messageID: digest.messageID, date: digest.dueAt, unsubscribeURL: settings)
    }

    /// An email to a follower, in the language it asked in, with the link that ends the following.
    func message(_ email: FollowerEmailModel) -> EmailMessage {
        let follower = email.follower
        let language = Language(rawValue: follower.language) ?? .id
        let arguments = (try? JSONDecoder().decode([String].self, from: Data(email.arguments.utf8))) ?? []
        let key = "follow.email." + email.kind.rawValue
        let subject = localizer.text(key + ".subject", language, arguments)
        let body = localizer.text(key + ".body", language, arguments)
        let link = publicURL + email.link
        let unsubscribe = publicURL + SiteURL.followUnsubscribe.path(follower.token)
        let footer = localizer.text(email.kind == .confirm ? "follow.email.footer_confirm" : "follow.email.footer", language, [unsubscribe])
        let text = body + "\n\n" + link + "\n\n-- \n" + footer + "\n"
        let html = "<p>\(EmailMessage.escaped(body))</p>\n<p><a href=\"\(EmailMessage.escaped(link))\">\(EmailMessage.escaped(link))</a></p>\n"
            + "<hr>\n<p style=\"color:#555\">\(EmailMessage.escaped(footer))</p>\n"
        return EmailMessage(from: client.settings.from, fromName: "Pantau", to: follower.email, subject: subject, text: text, html: html,
                            messageID: email.messageID, date: email.createdAt, unsubscribeURL: unsubscribe)
    }

    /// Where the recipient changes what it receives, and the footer that says so.
    private func footer(_ language: Language) -> (settings: String, text: String) {
        let settings = publicURL + SiteURL.account.path() + "#notifications"
        return (settings, localizer.text("email.footer", language, [settings]))
    }
}
