import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 16: anyone follows a commitment by email, with a double opt-in, a way out in every email and a limit on
/// requests; or by its Atom feed. A publication and a correction reach the followers through a real mail server.
@Suite("Public followers")
struct FollowerTests {
    /// The link in a message's text part that goes to `path` (a confirmation or an unsubscribe page), as a path.
    static func link(in message: String, containing path: String) -> String? {
        let text = EmailTests.parts(message).first ?? ""
        guard let range = text.range(of: "https://pantau.contoh.test" + path) else { return nil }
        let rest = text[range.lowerBound...].prefix { !$0.isWhitespace }
        return String(rest.dropFirst("https://pantau.contoh.test".count))
    }

    @Test(arguments: TestDatabase.allCases)
    func aVisitorFollowsACommitmentByEmail(_ database: TestDatabase) async throws {
        let server = CapturingMailServer()
        try await server.start()
        defer { server.stop() }
        try await withTestApp(database) { app in
            let outbox = server.outbox(app)
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let visitor = TestBrowser(app: app)
            let followPath = "/plans/contoh-2030-2032/commitments/1/follow"

            // Without a mail server the page says so and offers the feed.
            let unavailable = try await visitor.get(followPath)
            #expect(unavailable.text.contains("belum mempunyai server e-mail") && unavailable.text.contains("feed.atom"))
            app.emailOutbox = outbox
            #expect(try await visitor.get(followPath).text.contains("type=\"email\""))

            // A wrong address is refused beside its field, and nothing is written.
            let wrong = try await visitor.postAndFollow(followPath, form: ["email": "bukan-alamat"])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("bukan alamat e-mail"))
            #expect(try await FollowerModel.query(on: app.db).count() == 0)

            // Asking sends a confirmation, in the asker's language; nothing else goes before it is confirmed.
            let asked = try await visitor.postAndFollow(followPath + "?lang=en", form: ["email": " Warga@Contoh.test "])
            #expect(asked.status == .ok && asked.text.contains("we sent a confirmation link"))
            #expect(try await outbox.sendDue(now: app.clock.now(), on: app.db) == 1)
            let confirmation = try #require(try server.messages().last)
            #expect(confirmation.recipient == "warga@contoh.test")
            #expect(confirmation.text.contains("Subject: Confirm: follow 1. Keterbukaan data contoh (contoh-2030-2032)"))
            let confirmPath = try #require(Self.link(in: confirmation.text, containing: "/follow/"))
            #expect(confirmPath.hasSuffix("/confirm"))

            // Asking again for the same address says the same and sends at most three confirmations an hour.
            for _ in 0..<2 { #expect(try await visitor.postAndFollow(followPath, form: ["email": "warga@contoh.test"]).status == .ok) }
            #expect(try await visitor.postAndFollow(followPath, form: ["email": "warga@contoh.test"]).status == .tooManyRequests)
            // And one sender (the tests' one address) may ask for five followings an hour: warga's and four more.
            let flooder = TestBrowser(app: app)
            _ = try await flooder.get(followPath)
            for address in ["orang0", "orang1", "orang2", "tolak"] {
                #expect(try await flooder.postAndFollow(followPath, form: ["email": "\(address)@contoh.test"]).status == .ok)
            }
            #expect(try await flooder.postAndFollow(followPath, form: ["email": "orang9@contoh.test"]).status == .tooManyRequests)
            // A confirmation the mail server refuses is shown to the national secretariat, as a public follower's.
            try await outbox.sendDue(now: app.clock.now(), on: app.db)
            let log = try await seknas.get("/admin/emails")
            #expect(log.text.contains("Pengikut publik") && log.text.contains("tolak@contoh.test") && log.text.contains("550"))

            // (The visitor chose English above: the pages answer in it from then on.)
            // A publication before confirming reaches nobody; the link opens a page with a button, and only the button confirms.
            _ = try await ReportingCycleTests.openWindow(app, seknas: seknas)
            #expect(try await visitor.get(confirmPath).text.contains("Yes, I want to follow"))
            #expect(try await FollowerModel.query(on: app.db).filter(\.$confirmedAt != nil).count() == 0)
            #expect(try await visitor.postAndFollow(confirmPath, form: [:]).text.contains("you now follow this page by email"))
            #expect(try await visitor.get("/follow/tidak-ada/confirm").status == .notFound)

            // The semester is published: the follower hears, in English, with the way out.
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas, reason: "Tanpa laporan, untuk pengujian.")
            try await outbox.sendDue(now: app.clock.now(), on: app.db)
            let results = try server.messages().filter {
                $0.text.contains("Message-ID: <follow-") && !$0.text.contains("Subject: Confirm") && !$0.text.contains("Subject: Konfirmasi")
            }
            // Only the confirmed follower: the addresses never confirmed hear nothing.
            #expect(results.map(\.recipient) == ["warga@contoh.test"])
            let published = try #require(results.last)
            #expect(published.text.contains("Subject: Results of contoh-2030-2032 B06 published"))
            let unsubscribePath = try #require(Self.link(in: published.text, containing: "/follow/"))
            #expect(unsubscribePath.hasSuffix("/unsubscribe"))
            #expect(published.text.contains("List-Unsubscribe: <https://pantau.contoh.test\(unsubscribePath)>"))

            // The commitment's feed has the published result.
            let feed = try await visitor.get("/plans/contoh-2030-2032/commitments/1/feed.atom")
            #expect(feed.headers.contentType?.description.hasPrefix("application/atom+xml") == true)
            #expect(feed.text.contains("<title>Result of commitment 1, B06</title>") && feed.text.contains("Not scored yet"))

            // Stopping: the page's button ends it, and the next publication reaches nobody.
            #expect(try await visitor.postAndFollow(unsubscribePath, form: [:]).text.contains("You no longer receive emails"))
            let plan = try await ActionPlanModel.require(code: "contoh-2030-2032", on: app.db)
            let commitment = try #require(try await CommitmentModel.query(on: app.db).filter(\.$plan.$id == plan.requireID()).filter(\.$number == 1).first())
            try await Followers.tell(.resultCorrected, planID: plan.requireID(), commitments: [commitment.requireID()],
                                     arguments: ["contoh-2030-2032", "B06", "1", "Uji"], link: "/", now: app.clock.now(), on: app.db)
            #expect(try await FollowerEmailModel.query(on: app.db).filter(\.$kind != .confirm).count() == 1)
        }
    }
}
