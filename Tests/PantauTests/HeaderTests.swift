import Foundation
@testable import Pantau
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
}
