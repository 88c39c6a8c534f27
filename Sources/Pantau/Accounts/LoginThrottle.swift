import Fluent
import Foundation
import SQLKit
import Vapor

/// Slows down password guessing without handing anyone a way to lock someone else out.
///
/// Every sign-in attempt is counted before its password is checked, in one serialised write that counts and checks
/// (so that concurrent guesses cannot all slip under a limit), under three subjects:
/// - the account from this address: after `maximumPerAccountAndAddress` in `window`, that address waits for that
///   account. Someone guessing elsewhere does not lock out the account's owner, who signs in from their own address;
/// - the address: after `maximumPerAddress` in `window`, it waits, whichever account it tries (one address, many accounts);
/// - the account from anywhere: after `slowAccountAfter` in `window`, every further attempt on the account is answered
///   only after `accountDelay`, a right password too (so timing tells nothing): guessing from many addresses slows
///   down, the owner is never refused.
/// A refused attempt is not counted; a successful one takes back its own count and the account's failures from that
/// address. Addresses are clients' (`Request.clientAddress`), not a reverse proxy's. Counted in the database, so
/// every server process sees the same; serialised by a lock here and, on PostgreSQL, an advisory lock across processes.
final class LoginThrottle: Sendable {
    let window: TimeInterval
    let maximumPerAccountAndAddress: Int
    let maximumPerAddress: Int
    let slowAccountAfter: Int
    let accountDelay: TimeInterval
    private let lock = AsyncLock()

    init(window: TimeInterval = 15 * 60, maximumPerAccountAndAddress: Int = 5, maximumPerAddress: Int = 20, slowAccountAfter: Int = 10,
         accountDelay: TimeInterval = 2) {
        self.window = window
        self.maximumPerAccountAndAddress = maximumPerAccountAndAddress
        self.maximumPerAddress = maximumPerAddress
        self.slowAccountAfter = slowAccountAfter
        self.accountDelay = accountDelay
    }

    /// An attempt that was let through: its rows, to take back if the password was right.
    struct Attempt: Sendable {
        let email: String
        let address: String
        let rows: [UUID]
    }

    private struct Subjects {
        let pair: String
        let address: String
        let account: String

        init(email: String, address: String) {
            pair = "pair:" + address + "|" + email
            self.address = "ip:" + address
            account = "email:" + email
        }

        var all: [String] { [pair, address, account] }
    }

    /// Counts an attempt, or throws `tooManyAttempts` (and counts nothing) while its address is over a limit; waits
    /// `accountDelay` first when the account is being guessed at from many places.
    func begin(email: String, address: String?, on database: any Database, now: Date = Date()) async throws -> Attempt {
        let email = email.lowercased()
        let address = address ?? "unknown"
        let subjects = Subjects(email: email, address: address)
        let (rows, accountCount) = try await lock.run {
            try await retryingWhenSQLiteIsBusy {
                try await database.transaction { db in
                    if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                        try await sql.raw("SELECT pg_advisory_xact_lock(7262821)").run()
                    }
                    // Written first and counted after, in one transaction under the lock: the count includes this attempt.
                    let rows = subjects.all.map { LoginFailureModel(subject: $0, failedAt: now) }
                    try await rows.create(on: db)
                    let since = now.addingTimeInterval(-self.window)
                    for (subject, limit) in [(subjects.pair, self.maximumPerAccountAndAddress), (subjects.address, self.maximumPerAddress)] {
                        let recent = try await LoginFailureModel.query(on: db).filter(\.$subject == subject).filter(\.$failedAt > since)
                            .sort(\.$failedAt).all()
                        if recent.count > limit, let oldest = recent.first {
                            let wait = oldest.failedAt.addingTimeInterval(self.window).timeIntervalSince(now)
                            // Thrown inside the transaction: the attempt's rows go with it.
                            throw AppError.tooManyAttempts(minutes: max(1, Int((wait / 60).rounded(.up))))
                        }
                    }
                    let accountCount = try await LoginFailureModel.query(on: db).filter(\.$subject == subjects.account)
                        .filter(\.$failedAt > since).count()
                    // Old attempts no longer count; keep the table small.
                    try await LoginFailureModel.query(on: db).filter(\.$failedAt < now.addingTimeInterval(-2 * self.window)).delete()
                    return (rows.compactMap(\.id), accountCount)
                }
            }
        }
        if accountCount > slowAccountAfter, accountDelay > 0 {
            try await Task.sleep(nanoseconds: UInt64(accountDelay * 1_000_000_000))
        }
        return Attempt(email: email, address: address, rows: rows)
    }

    /// The password was right: the attempt does not count, nor do the account's failures from this address.
    func succeeded(_ attempt: Attempt, on database: any Database) async throws {
        let pair = Subjects(email: attempt.email, address: attempt.address).pair
        try await LoginFailureModel.query(on: database).group(.or) {
            $0.filter(\.$id ~~ attempt.rows).filter(\.$subject == pair)
        }.delete()
    }
}

extension Application {
    private struct LoginThrottleKey: StorageKey { typealias Value = LoginThrottle }

    /// This application's sign-in throttle; tests replace it with other limits.
    var loginThrottle: LoginThrottle {
        get {
            if let throttle = storage[LoginThrottleKey.self] { return throttle }
            let throttle = LoginThrottle()
            storage[LoginThrottleKey.self] = throttle
            return throttle
        }
        set { storage[LoginThrottleKey.self] = newValue }
    }
}
