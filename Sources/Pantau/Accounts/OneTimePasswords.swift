import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A generated secret (an account's password, a new API token) between the form that made it and the page that shows
/// it (Post/Redirect/Get): kept in this process's memory only (never in the database, a backup or a log), for
/// `lifetime`, for the account that made it, and given out once. The browser holds only a random handle to it, in a
/// cookie scoped to the page that shows it.
final class OneTimePasswords: Sendable {
    static let cookieName = "pantau-once"
    static let lifetime: TimeInterval = 5 * 60

    private struct Entry {
        let password: String
        let account: UUID
        let shownTo: UUID
        let expires: Date
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// Keeps `password` of `account` for `shownTo` and returns the handle to it.
    func keep(_ password: String, of account: UUID, for shownTo: UUID, now: Date = Date()) -> String {
        let handle = Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        entries.withLockedValue { entries in
            entries = entries.filter { $0.value.expires > now }
            entries[handle] = Entry(password: password, account: account, shownTo: shownTo, expires: now + Self.lifetime)
        }
        return handle
    }

    /// The password behind `handle`, once: only to the account it was kept for, about the account it belongs to.
    func take(_ handle: String, of account: UUID, for shownTo: UUID, now: Date = Date()) -> String? {
        entries.withLockedValue { entries in
            guard let entry = entries[handle], entry.account == account, entry.shownTo == shownTo else { return nil }
            entries[handle] = nil
            return entry.expires > now ? entry.password : nil
        }
    }
}

extension Application {
    private struct OneTimePasswordsKey: StorageKey { typealias Value = OneTimePasswords }

    /// Set up by `configure`; one per application, so tests do not share it.
    var oneTimePasswords: OneTimePasswords {
        get { storage[OneTimePasswordsKey.self]! }
        set { storage[OneTimePasswordsKey.self] = newValue }
    }
}

extension Request {
    /// Shows `password` of `account` once on the page a redirect leads to (under `path`): kept here, its handle in a
    /// short-lived cookie.
    func keepForOnce(_ password: String, of account: UUID, in response: Response, path: String = SiteURL.adminUsers.path()) {
        guard let viewer = currentUser?.id else { return }
        let handle = application.oneTimePasswords.keep(password, of: account, for: viewer)
        response.cookies[OneTimePasswords.cookieName] = HTTPCookies.Value(
            string: handle, maxAge: Int(OneTimePasswords.lifetime), path: path, isSecure: application.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// The password kept for this page, once.
    func takeOncePassword(of account: UUID) -> String? {
        guard let handle = cookies[OneTimePasswords.cookieName]?.string, let viewer = currentUser?.id else { return nil }
        return application.oneTimePasswords.take(handle, of: account, for: viewer)
    }

    /// Tells the browser to forget the handle, which names nothing any more.
    func forgetOncePassword(in response: Response, path: String = SiteURL.adminUsers.path()) {
        guard cookies[OneTimePasswords.cookieName] != nil else { return }
        response.cookies[OneTimePasswords.cookieName] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path,
            isSecure: application.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}
