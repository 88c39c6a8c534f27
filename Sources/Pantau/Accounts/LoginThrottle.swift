import Fluent
import Foundation
import Vapor

/// Slows down password guessing: after too many failures in a window, an account (or an address)
/// must wait before trying again. Counted in the database, so every server process sees the same.
enum LoginThrottle {
    static let window: TimeInterval = 15 * 60
    static let maximumPerAccount = 5
    static let maximumPerAddress = 20

    static func subjects(email: String, address: String?) -> [(subject: String, limit: Int)] {
        [("email:" + email.lowercased(), maximumPerAccount)] + (address.map { [("ip:" + $0, maximumPerAddress)] } ?? [])
    }

    /// Throws `tooManyAttempts` while either the account or the address is over its limit.
    static func check(email: String, address: String?, on database: any Database, now: Date = Date()) async throws {
        for (subject, limit) in subjects(email: email, address: address) {
            let recent = try await LoginFailureModel.query(on: database)
                .filter(\.$subject == subject).filter(\.$failedAt > now.addingTimeInterval(-window))
                .sort(\.$failedAt).all()
            if recent.count >= limit, let oldest = recent.first {
                let wait = oldest.failedAt.addingTimeInterval(window).timeIntervalSince(now)
                throw AppError.tooManyAttempts(minutes: max(1, Int((wait / 60).rounded(.up))))
            }
        }
    }

    static func recordFailure(email: String, address: String?, on database: any Database, now: Date = Date()) async throws {
        for (subject, _) in subjects(email: email, address: address) {
            try await LoginFailureModel(subject: subject, failedAt: now).create(on: database)
        }
        // Old failures no longer count; keep the table small.
        try await LoginFailureModel.query(on: database).filter(\.$failedAt < now.addingTimeInterval(-2 * window)).delete()
    }

    static func clear(email: String, on database: any Database) async throws {
        try await LoginFailureModel.query(on: database).filter(\.$subject == "email:" + email.lowercased()).delete()
    }
}
