import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// History panels show an entry to exactly those who may see what it describes, and name authors without their
/// e-mail address to everyone but the secretariat (issue 12, items 11 and 12).
@Suite("Who sees which history entries")
struct HistoryTests {
    static let plan = "/plans/contoh-2030-2032"

    /// An account with a name of its own (the test accounts are named by their address), signed in.
    static func named(_ name: String, email: String, role: UserRole, organisation: String?, app: Application) async throws -> TestBrowser {
        let account = TestAccounts.Account(email: email, password: TestAccounts.password, role: role, organisation: organisation)
        try await AccountCreation.create(name: name, email: email, role: role, organisation: organisation, password: account.password, on: app.db)
        return try await TestBrowser.signedIn(account, app: app)
    }

    @Test(arguments: TestDatabase.allCases)
    func draftEvaluationNotesWaitForTheirPeriod(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            let implementer = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let visitor = TestBrowser(app: app)
            for (query, text) in [("period=B06", "Sorotan draf pertama"), ("period=B06", "Sorotan draf kedua"), ("year=2031", "Sorotan tahunan draf")] {
                let saved = try await seknas.postAndFollow("\(Self.plan)/report/notes?\(query)",
                                                  form: ["highlights": text, "findings": "Temuan rahasia", "followUps": "Tindak lanjut rahasia"])
                #expect(saved.status == .ok, "\(saved.text)")
            }

            // The attack: the report itself is 404, and its draft notes, with every edit, were in the plan's history.
            #expect(try await visitor.get("\(Self.plan)/report?period=B06").status == .notFound)
            for page in [Self.plan, "/cocreation/plans/contoh-2030-2032"] {
                for (who, browser) in [("visitor", visitor), ("implementer", implementer)] {
                    let text = try await browser.get(page).text
                    #expect(text.contains("Riwayat perubahan"), "\(who) on \(page)")
                    for secret in ["Sorotan draf", "Sorotan tahunan draf", "Temuan rahasia"] {
                        #expect(!text.contains(secret), "\(who) reads \(secret) on \(page)")
                    }
                }
                // Staff read unpublished work anyway.
                #expect(try await reviewer.get(page).text.contains("Sorotan draf pertama"))
                #expect(try await seknas.get(page).text.contains("Sorotan tahunan draf"))
            }

            // Once B06 is published its notes, edits included, are public; the year's wait for the year.
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            let afterSemester = try await visitor.get(Self.plan).text
            #expect(afterSemester.contains("Sorotan draf pertama") && afterSemester.contains("Sorotan draf kedua"))
            #expect(!afterSemester.contains("Sorotan tahunan draf"))
            try await ReportingCycleTests.publish("2031", seknas: seknas)
            #expect(try await visitor.get(Self.plan).text.contains("Sorotan tahunan draf"))
            #expect(try await implementer.get("/cocreation/plans/contoh-2030-2032").text.contains("Sorotan tahunan draf"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aDraftAssessmentStaysOffTheCommitmentsPublicHistory(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, _) = try await ReportingCycleTests.openReport(app)
            let visitor = TestBrowser(app: app)
            try await ReportingCycleTests.startVerification(app)
            let commitment = try #require(try await CommitmentModel.query(on: app.db).filter(\.$number == 1).first())
            let assessed = try await seknas.postAndFollow("/verify/plans/contoh-2030-2032/B06/\(commitment.id!.uuidString)",
                                                 form: ["rating": "aktif", "justification": "Justifikasi draf rahasia."])
            #expect(assessed.status == .ok, "\(assessed.text)")
            let page = "\(Self.plan)/commitments/1"
            #expect(!(try await visitor.get(page).text.contains("Justifikasi draf rahasia")))
            #expect(!(try await implementerA.get(page).text.contains("Justifikasi draf rahasia")))
            #expect(try await seknas.get(page).text.contains("Justifikasi draf rahasia"))
            try await ReportingCycleTests.closeWindows(app)
            try await ReportingCycleTests.publish("B06", seknas: seknas)
            #expect(try await visitor.get(page).text.contains("Penilaian komitmen"), "published, the assessment's history is public")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func authorsAreNamedWithoutTheirAddress(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let sari = try await Self.named("Sari Sekretariat", email: "sari.seknas@contoh.test", role: .secretariat, organisation: nil, app: app)
            let budi = try await Self.named("Budi Pelaksana", email: "budi.kck@contoh.test", role: .implementer,
                                            organisation: SamplePlan.agency.name, app: app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            let visitor = TestBrowser(app: app)

            // A public plan entry by Sari: the year's publication.
            try await ReportingCycleTests.publish("2031", seknas: sari)
            let planPage = try await visitor.get(Self.plan).text
            #expect(planPage.contains("Sari Sekretariat"))
            #expect(planPage.contains("Tahun dipublikasikan"))
            #expect(!planPage.contains("sari.seknas@contoh.test"), "the public sees no e-mail address")
            #expect(!(try await budi.get(Self.plan).text.contains("sari.seknas@contoh.test")))
            #expect(try await sari.get(Self.plan).text.contains("sari.seknas@contoh.test"), "the secretariat sees the author as recorded")

            // A report entry by Budi: the reviewer sees his name and organisation, the secretariat also his address.
            _ = try await ReportingCycleTests.openWindow(app, seknas: sari)
            let target = try await ReportingCycleTests.targetA(app)
            #expect(try await budi.postAndFollow("/report/targets/\(target.id!.uuidString)", form: ["achievement": "Rancangan disusun.", "progress": "50"]).status == .ok)
            #expect(try await budi.postAndFollow("/report/targets/\(target.id!.uuidString)", form: ["action": "submit"]).status == .ok)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            let reviewed = try await reviewer.get("/verify/reports/\(report.id!.uuidString)").text
            #expect(reviewed.contains("Budi Pelaksana (KCK)"))
            #expect(!reviewed.contains("budi.kck@contoh.test"))
            #expect(try await sari.get("/verify/reports/\(report.id!.uuidString)").text.contains("budi.kck@contoh.test"))

            // Nothing stored was rewritten: the entries keep the address and the chain holds.
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$actorName == "Budi Pelaksana <budi.kck@contoh.test>").count() >= 2)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }
}

/// How a history entry reads: times in WIB in the reader's language, fields labelled, codes in words.
@Suite("History in words")
struct HistoryTextTests {
    static let localizer = try! Localizer(directory: PantauApplication.resourceRoot() + "Resources/Localization")

    @Test func timesAreInWIBInTheReadersLanguage() throws {
        let moment = try #require(ISO8601DateFormatter().date(from: "2026-12-01T07:05:00Z"))
        #expect(Formatting.jakartaDateTime(moment, .id) == "1 Desember 2026 14.05 WIB")
        #expect(Formatting.jakartaDateTime(moment, .en) == "1 December 2026 14:05 WIB")
    }

    @Test func fieldsAndCodesReadAsWords() {
        let organisation = UUID()
        let text = HistoryText(localizer: Self.localizer, language: .en, organisations: [organisation: "KCK"])
        let diff = HistoryDiff.changes(before: #"{"isLate":false,"status":"draft","progress":10}"#,
                                       after: #"{"isLate":true,"status":"submitted","progress":10}"#)
        let rows = text.changes(diff, objectType: "report")
        #expect(rows.map(\.label) == ["Late", "Status"])
        #expect(rows.map(\.before) == ["no", "Draft"])
        #expect(rows.map(\.after) == ["yes", "Submitted"])
        let created = text.changes(HistoryDiff.changes(before: nil, after: "{\"organisationID\":\"\(organisation.uuidString)\",\"role\":\"implementer\"}"),
                                   objectType: "user")
        #expect(created.map(\.after) == ["KCK", "Implementer"])
        #expect(created.allSatisfy { !$0.hasBefore })
        // An organisation that is gone is left out rather than shown as an id.
        #expect(text.changes(HistoryDiff.changes(before: nil, after: "{\"organisationID\":\"\(UUID().uuidString)\"}"), objectType: "user").isEmpty)
        #expect(text.label("after.score") == "Corrected to › Score")
    }
}
