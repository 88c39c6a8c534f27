import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor
import VaporTesting

@Suite("Signing in, sessions and tokens")
struct AuthTests {
    @Test(arguments: TestDatabase.allCases)
    func signInAndOutWithASessionThatChanges(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let browser = TestBrowser(app: app)
            let form = try await browser.get("/login?next=/admin")
            #expect(form.status == .ok)
            #expect(form.text.contains("name=\"next\" value=\"/admin\""))
            // The form makes no session (its token is in a cookie of its own); an id planted before sign-in is not taken on.
            #expect(browser.cookies[SessionSettings.cookieName] == nil)
            #expect(browser.cookies[SessionSettings.csrfCookieName] == browser.csrf)
            let before = SessionMiddleware.newCookieValue()
            browser.cookies[SessionSettings.cookieName] = before

            let signIn = try await browser.post("/login", form: ["email": "SEKNAS@contoh.test", "password": TestAccounts.password, "next": "/admin"])
            #expect(signIn.status == .seeOther)
            #expect(signIn.headers.first(name: .location) == "/admin")
            let cookie = try #require(signIn.headers.setCookie?[SessionSettings.cookieName])
            #expect(cookie.isHTTPOnly)
            #expect(cookie.sameSite == .lax)
            let after = try #require(browser.cookies[SessionSettings.cookieName])
            #expect(after != before, "the session id must change at sign-in")

            let admin = try await browser.get("/admin")
            #expect(admin.status == .ok)
            #expect(admin.text.contains("Keluar"))

            // Signing out ends the session on the server: the old cookie no longer works.
            let stolen = after
            let out = try await browser.post("/logout")
            #expect(out.status == .seeOther)
            let replay = TestBrowser(app: app)
            replay.cookies[SessionSettings.cookieName] = stolen
            let denied = try await replay.get("/admin")
            #expect(denied.status == .seeOther)
            #expect(denied.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    /// Only a signed-in browser has a session row. Opening forms, or sending made-up session cookies, stores nothing
    /// (each such visit used to add a row that was never removed); a session ends after its idle lifetime, and
    /// expired rows go at the next sign-in.
    @Test(arguments: TestDatabase.allCases)
    func sessionsAreRowsOnlyForSignedInBrowsers(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            for _ in 0..<10 {
                let visitor = TestBrowser(app: app)
                #expect(try await visitor.get("/login").status == .ok)
                visitor.cookies[SessionSettings.cookieName] = SessionMiddleware.newCookieValue()
                #expect(try await visitor.get("/login").status == .ok)
                #expect(visitor.cookies[SessionSettings.cookieName] == nil, "a made-up session cookie was not told to go")
            }
            #expect(try await SessionModel.query(on: app.db).count() == 0)

            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            let row = try #require(try await SessionModel.query(on: app.db).first())
            #expect(try await SessionModel.query(on: app.db).count() == 1)
            #expect(row.key != reviewer.cookies[SessionSettings.cookieName], "the cookie value itself is stored")
            #expect((row.expiresAt ?? .distantPast) > Date().addingTimeInterval(SessionMiddleware.idleLifetime - 600))

            // Past its end the session signs no one in, and the next sign-in removes its row.
            row.expiresAt = Date().addingTimeInterval(-1)
            try await row.save(on: app.db)
            let expired = try await reviewer.get("/account")
            #expect(expired.status == .seeOther)
            #expect(expired.headers.first(name: .location)?.hasPrefix("/login") == true)
            _ = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let rows = try await SessionModel.query(on: app.db).all()
            #expect(rows.count == 1)
            #expect(rows.first?.id != row.id)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func wrongPasswordsAreRefusedAndThenSlowedDown(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let browser = TestBrowser(app: app)
            _ = try await browser.get("/login")
            for _ in 0..<app.loginThrottle.maximumPerAccountAndAddress {
                let wrong = try await browser.post("/login", form: ["email": TestAccounts.reviewer.email, "password": "salah-salah-salah"])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.text.contains("E-mail atau kata sandi salah."))
            }
            // Now even the right password must wait.
            let blocked = try await browser.post("/login", form: ["email": TestAccounts.reviewer.email, "password": TestAccounts.password])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.text.contains("Terlalu banyak percobaan masuk yang gagal"))
            // Another account is not affected.
            let other = try await browser.post("/login", form: ["email": TestAccounts.secretariat.email, "password": TestAccounts.password])
            #expect(other.status == .seeOther)
            // An unknown address gets the same answer as a wrong password.
            let unknown = try await TestBrowser(app: app).get("/login")
            _ = unknown
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func formsWithoutTheirTokenAreRefused(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let browser = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let forged = try await browser.post("/admin/organisations", form: ["name": "Lembaga Palsu", "kind": "civil_society"], includeCSRF: false)
            #expect(forged.status == .forbidden)
            let wrong = try await browser.post("/admin/organisations", form: ["name": "Lembaga Palsu", "kind": "civil_society", "_csrf": "salah"], includeCSRF: false)
            #expect(wrong.status == .forbidden)
            let count = try await OrganisationModel.query(on: app.db).filter(\.$name == "Lembaga Palsu").count()
            #expect(count == 0)
            let real = try await browser.post("/admin/organisations", form: ["name": "Lembaga Asli", "kind": "civil_society"])
            #expect(real.status == .seeOther)
            #expect(try await browser.get("/admin/organisations").text.contains("Organisasi Lembaga Asli ditambahkan."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func apiTokensAreShownOnceHashedAndRevocable(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let browser = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let answer = try await browser.post("/account/tokens", form: ["name": "Pelacak kementerian"])
            // Post/Redirect/Get: the token is not in the answer to the form, only on the page it leads to, once.
            #expect(answer.status == .seeOther)
            #expect(answer.text.firstMatch(of: /pantau_[A-Za-z0-9]+/) == nil)
            let created = try await browser.follow(answer)
            let token = try #require(created.text.firstMatch(of: /(pantau_[A-Za-z0-9]+)/)?.1)
            let stored = try #require(try await APITokenModel.query(on: app.db).first())
            #expect(stored.tokenHash == APITokens.hash(String(token)))
            #expect(stored.tokenHash != String(token))
            let page = try await browser.get("/account")
            #expect(!page.text.contains(String(token)), "a token is shown only once")

            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: String(token))
            let client = TestBrowser(app: app)
            #expect(try await client.send(.GET, "/api/v1/plans", body: nil, contentType: nil, headers: headers).status == .ok)
            // Its last use is recorded, once a minute at most: not a write on every call.
            let firstUse = try #require(try await APITokenModel.find(stored.id, on: app.db)?.lastUsedAt)
            #expect(try await client.send(.GET, "/api/v1/plans", body: nil, contentType: nil, headers: headers).status == .ok)
            #expect(try await APITokenModel.find(stored.id, on: app.db)?.lastUsedAt == firstUse, "the last use was written again within the minute")
            try await APITokenModel.query(on: app.db).filter(\.$id == stored.id!).set(\.$lastUsedAt, to: firstUse - 61).update()
            #expect(try await client.send(.GET, "/api/v1/plans", body: nil, contentType: nil, headers: headers).status == .ok)
            #expect(try await APITokenModel.find(stored.id, on: app.db)?.lastUsedAt ?? .distantPast > firstUse - 61,
                    "a use after the minute was not recorded")
            headers.bearerAuthorization = BearerAuthorization(token: "pantau_palsu")
            let invalid = try await client.send(.GET, "/api/v1/plans", body: nil, contentType: nil, headers: headers)
            #expect(invalid.status == .unauthorized)
            #expect(invalid.text.contains("invalid_token"))

            let revoke = try await browser.post("/account/tokens/\(stored.id!.uuidString)/revoke")
            #expect(revoke.status == .seeOther)
            headers.bearerAuthorization = BearerAuthorization(token: String(token))
            #expect(try await client.send(.GET, "/api/v1/plans", body: nil, contentType: nil, headers: headers).status == .unauthorized)

            // Someone else's token cannot be revoked by id.
            let other = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            let foreign = try await other.post("/account/tokens/\(stored.id!.uuidString)/revoke")
            #expect(foreign.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aPasswordResetEndsEverySessionOfTheAccount(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let laptop = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let phone = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let colleague = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            #expect(try await laptop.get("/report").status == .ok)
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerA.email).first())
            #expect(try await SessionModel.query(on: app.db).filter(\.$userID == user.id!).count() == 2)

            _ = try await seknas.get("/admin/users/\(user.id!.uuidString)/reset-password")
            let reset = try await seknas.post("/admin/users/\(user.id!.uuidString)/reset-password")
            #expect(reset.status == .seeOther)
            let shown = try await seknas.get(try #require(reset.headers.first(name: .location)))
            #expect(shown.text.contains("setiap sesinya diakhiri dan token API-nya dicabut"), "the page says what happens")
            // A session kept alive (a stolen cookie, a shared computer) used to outlive the reset.
            for browser in [laptop, phone] {
                let after = try await browser.get("/report")
                #expect(after.status == .seeOther)
                #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
            }
            #expect(try await SessionModel.query(on: app.db).filter(\.$userID == user.id!).count() == 0)
            // Nobody else is signed out.
            #expect(try await colleague.get("/report").status == .ok)
            #expect(try await seknas.get("/admin").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aSessionEndsTwelveHoursAfterSignInHoweverActive(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let browser = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let cookie = try #require(browser.cookies[SessionSettings.cookieName])
            /// Moves the session's sign-in back by `hours`, as if it had been used all along (its idle end ahead).
            func signedIn(hoursAgo hours: Double) async throws {
                let row = try #require(try await SessionModel.query(on: app.db).filter(\.$key == SessionMiddleware.key(cookie)).first())
                row.signedInAt = Date() - hours * 3600
                row.expiresAt = Date() + 3600
                try await row.save(on: app.db)
            }
            try await signedIn(hoursAgo: 11.9)
            #expect(try await browser.get("/report").status == .ok)
            try await signedIn(hoursAgo: 12.1)
            let expired = try await browser.get("/report")
            #expect(expired.status == .seeOther)
            #expect(expired.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }
}
