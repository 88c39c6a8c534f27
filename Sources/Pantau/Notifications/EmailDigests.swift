import Fluent
import Foundation
import PantauDomain
import SQLKit

/// Makes the daily digests: at each account's digest hour (WIB), the notifications it chose to receive by digest that
/// were written before that moment and are in no digest yet become one email. A digest is made once per account and
/// moment (a unique row), in one transaction with the notifications it carries, so that a notification is in one
/// digest only, whichever process makes it; one written late for a moment waits for the next.
enum EmailDigests {
    /// The latest digest moment at or before `now` for an account whose digest hour is `hour` (WIB).
    static func moment(hour: Int, at now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ReportingCalendar.timeZone
        let today = calendar.date(bySettingHour: min(max(hour, 0), 23), minute: 0, second: 0, of: now) ?? now
        return today <= now ? today : today.addingTimeInterval(-86_400)
    }

    /// Makes every digest due at `now`; returns how many were made here.
    @discardableResult
    static func assemble(now: Date, on database: any Database) async throws -> Int {
        let sql = database as! any SQLDatabase
        let waiting = try await sql.raw("""
            SELECT DISTINCT user_id FROM notifications WHERE delivery = 'daily_digest' AND email_state = 'pending' AND digest_id IS NULL
            """).all().map { try $0.decode(column: "user_id", as: UUID.self) }
        guard !waiting.isEmpty else { return 0 }
        var made = 0
        for user in try await UserModel.query(on: database).filter(\.$id ~~ waiting).all() {
            let userID = try user.requireID()
            let due = moment(hour: user.digestHour, at: now)
            let before = try await NotificationModel.query(on: database).filter(\.$user.$id == userID).filter(\.$delivery == .dailyDigest)
                .filter(\.$emailState == .pending).filter(\.$digest.$id == nil).filter(\.$createdAt < due).count()
            guard before > 0 else { continue }
            let digestID = UUID()
            do { made += try await retryingWhenSQLiteIsBusy {
                try await database.transaction { db in
                    let sql = db as! any SQLDatabase
                    let inserted = try await sql.raw("""
                        INSERT INTO email_digests (id, user_id, due_at, email_state, attempts, next_attempt_at, last_error, message_id, created_at)
                        VALUES (\(bind: digestID), \(bind: userID), \(bind: due), 'pending', 0, \(bind: due), '',
                                \(bind: "<digest-\(digestID.uuidString.lowercased())@pantau>"), \(bind: now))
                        ON CONFLICT (user_id, due_at) DO NOTHING RETURNING id
                        """).all()
                    guard !inserted.isEmpty else { return 0 }
                    let carried = try await sql.raw("""
                        UPDATE notifications SET digest_id = \(bind: digestID)
                        WHERE user_id = \(bind: userID) AND delivery = 'daily_digest' AND email_state = 'pending' AND digest_id IS NULL
                          AND created_at < \(bind: due)
                        RETURNING id
                        """).all()
                    // Another process took them meanwhile: no digest (the row goes with the rolled-back transaction).
                    guard !carried.isEmpty else { throw NothingToDigest() }
                    return 1
                }
            } } catch is NothingToDigest {}
        }
        return made
    }

    private struct NothingToDigest: Error {}
}
