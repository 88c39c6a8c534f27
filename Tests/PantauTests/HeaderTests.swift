import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

@Suite("HTTP headers: security, caching, compression, CORS, feed")
struct HeaderTests {
    @Test(arguments: TestDatabase.allCases)
    func everyAnswerCarriesSecurityHeaders(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/", "/plans/tidak-ada", "/api/v1/plans", "/login"] {
                let response = try await app.http().get(path)
                let policy = try #require(response.headers.first(name: "Content-Security-Policy"), "\(path)")
                #expect(policy.contains("script-src 'none'"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func unchangedPagesAnswer304(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let first = try await app.http().get("/plans/contoh-2030-2032")
            let etag = try #require(first.headers.first(name: .eTag))
            #expect(first.headers.first(name: .cacheControl) == "public, no-cache")
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .ifNoneMatch, value: etag)
            let again = try await app.http().get("/plans/contoh-2030-2032", headers: headers)
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            // A different language is a different page.
            let english = try await app.http().get("/plans/contoh-2030-2032?lang=en", headers: headers)
            #expect(english.status == .ok)
        }
    }

    /// nginx in front (deploy/nginx-pantau.conf) keeps for a second what Pantau marks, and nothing else: only a page the
    /// public page cache keeps for visitors is marked, never a signed-in page, a form with its token, or a call with a token.
    @Test(arguments: TestDatabase.allCases)
    func onlyVisitorsKeptPagesMayBeKeptByAProxy(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            try await TestAccounts.create(on: app)
            let dashboard = "/plans/contoh-2030-2032/dashboard"
            for path in [dashboard, "/plans/contoh-2030-2032", "/"] {
                let visitor = try await app.http().get(path)
                #expect(visitor.status == .ok)
                #expect(visitor.headers.first(name: PublicPageCache.sharedCacheHeader) == "1", "\(path)")
            }
            let secretariat = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let signedIn = try await secretariat.get(dashboard)
            #expect(signedIn.status == .ok)
            #expect(signedIn.headers.first(name: PublicPageCache.sharedCacheHeader) == nil)
            let form = try await TestBrowser(app: app).get("/login")
            #expect(form.status == .ok)
            #expect(form.headers.first(name: PublicPageCache.sharedCacheHeader) == nil)
            // The read API is open data, the same for every caller without a token; a call with one is that caller's.
            let api = try await app.http().get("/api/v1/plans/contoh-2030-2032")
            #expect(api.status == .ok)
            #expect(api.headers.first(name: PublicPageCache.sharedCacheHeader) == "1")
            var token = HTTPHeaders()
            token.replaceOrAdd(name: .authorization, value: "Bearer pantau_bukan-token")
            let withToken = try await app.http().get("/api/v1/plans/contoh-2030-2032", headers: token)
            #expect(withToken.headers.first(name: PublicPageCache.sharedCacheHeader) == nil)
        }
    }

    /// The nginx configuration names Pantau's cookies of one person itself (nginx cannot ask Pantau): renaming one here
    /// without it there would let nginx answer that person from its cache.
    @Test func theDeployedProxyKnowsEveryCookieOfOnePerson() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let configuration = try String(contentsOf: root.appendingPathComponent("deploy/nginx-pantau.conf"), encoding: .utf8)
        let skipped = try #require(configuration.split(separator: "\n").first { $0.contains("pantau_session") })
        for cookie in [SessionSettings.cookieName, Notice.cookieName, OneTimePasswords.cookieName] {
            #expect(skipped.contains(cookie), "\(cookie)")
        }
        #expect(configuration.contains("proxy_cache_bypass $pantau_own_request $http_authorization;"))
        #expect(configuration.contains("proxy_no_cache $pantau_own_request $http_authorization;"))
    }

    @Test(arguments: TestDatabase.allCases)
    func answersAreCompressedAndTheReadAPIIsOpenToOtherSites(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .acceptEncoding, value: "gzip")
            headers.replaceOrAdd(name: .origin, value: "https://data.contoh.test")
            let response = try await app.http().get("/api/v1/plans/contoh-2030-2032", headers: headers)
            #expect(response.headers.first(name: .contentEncoding) == "gzip")
            #expect(response.headers.first(name: .accessControlAllowOrigin) == "*")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theFeedListsPublishedResults(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await FirstStart.run(app, demo: false)
            let feed = try await app.http().get("/feed.atom")
            #expect(feed.status == .ok)
            #expect(feed.headers.first(name: .contentType)?.hasPrefix("application/atom+xml") == true)
            #expect(feed.text.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""))
            #expect(feed.text.contains("Notula: Penyampaian Usulan Perludem"))
        }
    }

    /// The feed is one page for every subscriber (and kept in the page cache), so nothing in it comes from the
    /// request: a forged Host header reaches no one. Links are absolute under `PANTAU_PUBLIC_URL` when it is set,
    /// else relative to the feed's own address, with `tag:` ids.
    @Test(arguments: TestDatabase.allCases)
    func aForgedHostReachesNoSubscriber(_ database: TestDatabase) async throws {
        for publicURL in [nil, "https://pantau.example.go.id"] {
            try await withTestApp(database) { app in
                app.publicURL = publicURL
                try await importPlan(SamplePlan.document(), on: app.db)
                try await MeetingService.record(
                    MeetingRecord(plan: "contoh-2030-2032", title: "Rapat warga", date: CalendarDay(iso: "2031-03-01")!,
                                  participants: [MeetingPerson(name: "Ani", organisation: "Perkumpulan Warga Contoh")], commitments: [1]),
                    attachments: [], published: true, store: nil, actor: .system, organisationID: nil, recorderID: nil, on: app.db)
                let meeting = try #require(try await MeetingModel.query(on: app.db).first()).id!.uuidString
                let port = try await app.runningPort()
                let forged = try await RawConnection.offThePool {
                    let connection = try RawConnection(port: port)
                    connection.send("GET /feed.atom HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                    return String(decoding: connection.receiveUntilClosed().data, as: UTF8.self)
                }
                #expect(forged.hasPrefix("HTTP/1.1 200 OK"), "\(forged.prefix(200))")
                #expect(forged.contains("Notula: Rapat warga"))
                #expect(!forged.contains("evil.example"))
                let feed = try await app.http().get("/feed.atom")
                #expect(!feed.text.contains("evil.example"))
                let base = publicURL ?? ""
                #expect(feed.text.contains("<link href=\"\(base)/meetings/\(meeting)\"/>"), "\(feed.text)")
                #expect(feed.text.contains("<id>\(publicURL ?? "tag:pantau,2020:")/meetings/\(meeting)</id>"))
                #expect(feed.text.contains("<link rel=\"self\" href=\"\(base)/feed.atom\"/>"))
            }
        }
    }

    // MARK: - Nothing the caller wrote reaches a header unchecked

    @Test func signInGoesOnlyToAPathOfThisSite() {
        for kept in ["/", "/admin", "/plans/contoh-2030-2032?lang=en", "/search?q=a%0D%0Ab", "/%09/evil.example", "/a/%2F%2Fb", "/@x"] {
            #expect(SessionController.safeNext(kept) == kept, "\(kept.debugDescription)")
        }
        for refused in ["", "admin", "//evil.example", "/\\evil.example", "/a\\b", "https://evil.example/", "/\t/evil.example",
                        "/\r\nSet-Cookie: ditanam=1", "/\n", "/ /evil.example", "/\u{0}", "/\u{7F}", "/\u{85}", "/a\u{2028}b", "/ü",
                        "/\u{3000}evil", "/a b"] {
            #expect(SessionController.safeNext(refused) == "/", "\(refused.debugDescription)")
        }
    }

    /// `next=/%0D%0ASet-Cookie:...` planted a cookie through the redirect after sign-in; `next=/%09/evil.example` sent
    /// the browser to `/\t/evil.example`. Both now go to "/", and a good `next` is kept.
    @Test(arguments: TestDatabase.allCases)
    func signInRedirectsCannotBeInjected(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let account = TestAccounts.secretariat
            for (next, expected) in [("/\r\nSet-Cookie: ditanam=1", "/"), ("/\t/evil.example", "/"), ("/%0D%0AX-Ditanam:%201", "/%0D%0AX-Ditanam:%201"),
                                     ("/plans?lang=en", "/plans?lang=en")] {
                let browser = TestBrowser(app: app)
                var query = URLComponents()
                query.queryItems = [URLQueryItem(name: "next", value: next)]
                let form = try await browser.get("/login?" + query.percentEncodedQuery!)
                #expect(form.status == .ok)
                #expect(form.text.contains("name=\"next\" value=\"\(expected)\""), "\(next.debugDescription)")
                let signIn = try await browser.post("/login", form: ["email": account.email, "password": account.password, "next": next])
                #expect(signIn.status == .seeOther)
                #expect(signIn.headers[.location] == [expected], "\(next.debugDescription)")
                #expect(!signIn.headers.contains(name: "X-Ditanam"))
                #expect(!signIn.headers[.setCookie].contains { $0.contains("ditanam") })
                #expect(browser.cookies["ditanam"] == nil)
            }
        }
    }

    @Test func attachmentNamesCannotEndTheHeaderOrAddAParameter() throws {
        func disposition(_ name: String) -> String {
            var headers = HTTPHeaders()
            headers.setAttachment(filename: name)
            return headers.first(name: .contentDisposition) ?? ""
        }
        #expect(disposition("contoh-2030-2032.csv") == #"attachment; filename="contoh-2030-2032.csv""#)
        #expect(disposition(#"a\";filename*=UTF-8''jahat.html;x=".pdf"#)
            == #"attachment; filename="a__;filename*=UTF-8''jahat.html;x=_.pdf"; filename*=UTF-8''a%5C%22%3Bfilename%2A%3DUTF-8%27%27jahat.html%3Bx%3D%22.pdf"#)
        #expect(disposition("laporan\r\nSet-Cookie: a=b.pdf") == #"attachment; filename="laporanSet-Cookie: a=b.pdf""#)
        #expect(disposition("Notulen rapat Mei–Juni ü.pdf")
            == #"attachment; filename="Notulen rapat Mei_Juni _.pdf"; filename*=UTF-8''Notulen%20rapat%20Mei%E2%80%93Juni%20%C3%BC.pdf"#)
        #expect(disposition("\u{1B}[31m") == #"attachment; filename="[31m""#)
        #expect(disposition("\n") == "attachment")
        var headers = HTTPHeaders()
        headers.setContentType(stored: "application/pdf\r\nSet-Cookie: a=b")
        #expect(headers.first(name: .contentType) == "application/octet-stream")
        headers.setContentType(stored: "application/pdf")
        #expect(headers.first(name: .contentType) == "application/pdf")
    }

    /// An uploaded file's name, with quotes, a semicolon and letters beyond ASCII, comes back in one well-formed header.
    @Test(arguments: TestDatabase.allCases)
    func evidenceDownloadsNameTheirFileSafely(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            let uploaded = try await implementerA.postMultipartAndFollow("\(path)", fields: ["description": "Bukti"],
                                                               file: ("file", #"bukti \"akhir\"; x=1 ü.pdf"#, ReportingCycleTests.pdf))
            #expect(uploaded.status == .ok, "\(uploaded.text.prefix(2000))")
            let evidence = try #require(try await EvidenceModel.query(on: app.db).filter(\.$sha256 != nil).first())
            let download = try await implementerA.get("/evidence/\(evidence.id!.uuidString)")
            #expect(download.status == .ok)
            let header = try #require(download.headers.first(name: .contentDisposition))
            #expect(header.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }, "\(header)")
            let encoded = try #require(header.firstMatch(of: /^attachment; filename="[^"\\]*"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/))
            #expect(String(encoded.1).removingPercentEncoding == evidence.fileName)
            #expect(evidence.fileName.contains("ü"))
        }
    }
}
