import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// A generated secret (an account's password, a new API token) between the form that made it and the page that shows
/// it (Post/Redirect/Get). The redirect may reach another server process than the form did (several behind one load
/// balancer), so it is kept in the database, but only sealed (AES-GCM) with a key derived from a random handle that
/// only the browser holds, in a cookie scoped to the page that shows it: the row, a backup or a query log give no one
/// the secret. The row is named by another hash of the handle, is for the account that made it, lives `lifetime`, and
/// is given out once (removed as it is read, whichever process reads it).
enum OneTimePasswords {
    static let cookieName = "pantau-once"
    static let lifetime: TimeInterval = 5 * 60
    static let table = "one_time_secrets"

    /// Keeps `password` of `account` for `shownTo` and returns the handle to it.
    static func keep(_ password: String, of account: UUID, for shownTo: UUID, now: Date = Date(), on database: any Database) async throws -> String {
        let handle = Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let sealed = try AES.GCM.seal(Data(password.utf8), using: key(handle)).combined ?? Data()
        let sql = database as! any SQLDatabase
        try await sql.delete(from: table).where("expires_at", .lessThan, SQLBind(now)).run()
        try await sql.insert(into: table).columns("id", "account_id", "shown_to", "sealed", "expires_at")
            .values(SQLBind(rowID(handle)), SQLBind(account), SQLBind(shownTo), SQLBind(sealed.base64EncodedString()), SQLBind(now + lifetime))
            .run()
        return handle
    }

    /// The password behind `handle`, once: only to the account it was kept for, about the account it belongs to.
    static func take(_ handle: String, of account: UUID, for shownTo: UUID, now: Date = Date(), on database: any Database) async throws -> String? {
        struct Row: Decodable { let sealed: String; let expires_at: Date }
        let sql = database as! any SQLDatabase
        // Removed and read in one statement: of two processes asked at once, one gets it.
        guard let row = try await sql.delete(from: table)
            .where("id", .equal, SQLBind(rowID(handle))).where("account_id", .equal, SQLBind(account)).where("shown_to", .equal, SQLBind(shownTo))
            .returning("sealed", "expires_at").first(decoding: Row.self),
            row.expires_at > now, let combined = Data(base64Encoded: row.sealed),
            let box = try? AES.GCM.SealedBox(combined: combined), let opened = try? AES.GCM.open(box, using: key(handle))
        else { return nil }
        return String(decoding: opened, as: UTF8.self)
    }

    private static func key(_ handle: String) -> SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data(("pantau-once-key|" + handle).utf8)))
    }

    private static func rowID(_ handle: String) -> String {
        SHA256.hash(data: Data(("pantau-once-row|" + handle).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Request {
    /// Shows `password` of `account` once on the page a redirect leads to (under `path`): sealed in the database, its
    /// handle in a short-lived cookie.
    func keepForOnce(_ password: String, of account: UUID, in response: Response, path: String = SiteURL.adminUsers.path()) async throws {
        guard let viewer = currentUser?.id else { return }
        let handle = try await OneTimePasswords.keep(password, of: account, for: viewer, on: db)
        response.cookies[OneTimePasswords.cookieName] = HTTPCookies.Value(
            string: handle, maxAge: Int(OneTimePasswords.lifetime), path: path, isSecure: application.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// The password kept for this page, once.
    func takeOncePassword(of account: UUID) async throws -> String? {
        guard let handle = cookies[OneTimePasswords.cookieName]?.string, let viewer = currentUser?.id else { return nil }
        return try await OneTimePasswords.take(handle, of: account, for: viewer, on: db)
    }

    /// Tells the browser to forget the handle, which names nothing any more.
    func forgetOncePassword(in response: Response, path: String = SiteURL.adminUsers.path()) {
        guard cookies[OneTimePasswords.cookieName] != nil else { return }
        response.cookies[OneTimePasswords.cookieName] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path,
            isSecure: application.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}
