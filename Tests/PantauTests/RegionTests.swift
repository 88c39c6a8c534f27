import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 15: the national secretariat starts a region in one step (jurisdiction, first secretariat account, plan); all
/// or nothing. The regional secretariat then works on its own plan only, and what it imports is its region's.
/// The regions here are made up ("Kota Contoh"), as is their plan.
@Suite("Starting a region")
struct RegionTests {
    static let noFile = (field: "planFile", name: "", data: Data())

    static func counts(_ app: Application) async throws -> [Int] {
        [try await JurisdictionModel.query(on: app.db).count(), try await UserModel.query(on: app.db).count(),
         try await ActionPlanModel.query(on: app.db).count(), try await PlanGrantModel.query(on: app.db).count()]
    }

    @Test(arguments: TestDatabase.allCases)
    func aRegionStartsWholeOrNotAtAll(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            #expect(try await seknas.get("/admin/regions").status == .ok)
            let draft = ["jurisdictionName": "Kota Contoh", "jurisdictionKind": "city", "secretariatName": "Bappeda Kota Contoh",
                         "secretariatEmail": "bappeda@kota-contoh.test", "planSource": "draft", "planCode": "kota-contoh-2031-2032",
                         "planTitle": "Rencana Aksi Kota Contoh 2031-2032", "planStart": "2031-01", "planMonths": "24"]
            let before = try await Self.counts(app)

            // Half done: no kind, a mistyped address. Each beside its field; what was typed stays; nothing written.
            var halfDone = draft
            halfDone["jurisdictionKind"] = ""
            halfDone["secretariatEmail"] = "bappeda-at-kota"
            let refused = try await seknas.postMultipart("/admin/regions", fields: halfDone, file: Self.noFile)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Pilih jenis wilayah"))
            #expect(refused.text.contains("value=\"Kota Contoh\""))
            _ = try await seknas.get("/admin/regions")
            var badAddress = draft
            badAddress["secretariatEmail"] = "bappeda-at-kota"
            let noAddress = try await seknas.postMultipart("/admin/regions", fields: badAddress, file: Self.noFile)
            #expect(noAddress.status == .unprocessableEntity)
            #expect(noAddress.text.contains("id=\"secretariatEmail-error\""), "the address's message beside its field")
            #expect(try await Self.counts(app) == before, "a refused start leaves no jurisdiction, account or plan behind")

            // An address already taken is found only inside the transaction, after the jurisdiction and the plan were
            // written: they go too.
            _ = try await seknas.get("/admin/regions")
            var taken = draft
            taken["secretariatEmail"] = TestAccounts.implementerA.email
            let takenAnswer = try await seknas.postMultipart("/admin/regions", fields: taken, file: Self.noFile)
            #expect(takenAnswer.status == .conflict || takenAnswer.status == .unprocessableEntity, "\(takenAnswer.status)")
            #expect(try await Self.counts(app) == before)

            // Started: the account's password once, the plan a draft of the city, the account holding it alone.
            _ = try await seknas.get("/admin/regions")
            let started = try await seknas.postMultipartAndFollow("/admin/regions", fields: draft, file: Self.noFile)
            #expect(started.status == .ok, "\(started.text)")
            #expect(started.text.contains("Wilayah Kota Contoh dimulai dengan rencana kota-contoh-2031-2032."))
            let password = try #require(started.text.firstMatch(of: /class="once"[^>]*>([^<]+)</).map { String($0.1).trimmingCharacters(in: .whitespaces) })
            let city = try #require(try await JurisdictionModel.query(on: app.db).filter(\.$name == "Kota Contoh").first())
            #expect(city.kind == .city)
            let plan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == "kota-contoh-2031-2032").first())
            #expect(plan.$jurisdiction.id == city.id && plan.status == .draft)
            let account = try #require(try await UserModel.query(on: app.db).filter(\.$email == "bappeda@kota-contoh.test").first())
            #expect(account.role == .secretariat && !account.allPlans)
            #expect(try await CurrentUser.load(account, on: app.db).plans == .only([try plan.requireID()]))
            let actions = try await AuditEntryModel.query(on: app.db).sort(\.$id, .descending).limit(3).all().map(\.action)
            #expect(Set(actions) == ["jurisdiction.create", "plan.create", "user.create"])

            // The same region again: refused beside the name.
            _ = try await seknas.get("/admin/regions")
            var again = draft
            again["secretariatEmail"] = "lain@kota-contoh.test"
            again["planCode"] = "kota-contoh-2033-2034"
            let twice = try await seknas.postMultipart("/admin/regions", fields: again, file: Self.noFile)
            #expect(twice.text.contains("Wilayah &#39;Kota Contoh&#39; sudah ada.") || twice.text.contains("Wilayah 'Kota Contoh' sudah ada."),
                    "\(twice.text)")

            // The regional secretariat: its own plan, not the national one; what it imports is the city's and its own.
            let regional = TestAccounts.Account(email: "bappeda@kota-contoh.test", password: password, role: .secretariat, organisation: nil)
            let bappeda = try await TestBrowser.signedIn(regional, app: app)
            #expect(try await bappeda.get("/cocreation/plans/kota-contoh-2031-2032").status == .ok)
            #expect(try await bappeda.get("/verify/plans/contoh-2030-2032/B06").status == .forbidden)
            #expect(try await bappeda.get("/admin/regions").status == .forbidden)
            _ = try await bappeda.get("/admin/plans")
            let file = try PlanJSON.encode(SamplePlan.document(code: "kota-contoh-2029-2030"))
            let imported = try await bappeda.postMultipartAndFollow("/admin/plans", fields: [:], file: ("file", "kota.json", file))
            #expect(imported.status == .ok, "\(imported.text)")
            let importedPlan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == "kota-contoh-2029-2030").first())
            #expect(importedPlan.$jurisdiction.id == city.id)
            #expect(try await bappeda.get("/verify/plans/kota-contoh-2029-2030/B06").status == .ok, "the importer holds what it imported")
            // Replacing the national plan's file is a change to the national plan: refused.
            let replace = try await bappeda.postMultipart("/admin/plans", fields: ["replace": "on"],
                                                          file: ("file", "nasional.json", try PlanJSON.encode(SamplePlan.document())))
            #expect(replace.status == .forbidden)

            // From a plan file: adopted at once.
            _ = try await seknas.get("/admin/regions")
            let fromFile = try await seknas.postMultipartAndFollow("/admin/regions", fields: [
                "jurisdictionName": "Provinsi Contoh", "jurisdictionKind": "province", "secretariatName": "Bappeda Provinsi Contoh",
                "secretariatEmail": "bappeda@provinsi-contoh.test", "planSource": "file",
            ], file: ("planFile", "provinsi.json", try PlanJSON.encode(SamplePlan.document(code: "provinsi-contoh-2030-2032"))))
            #expect(fromFile.status == .ok, "\(fromFile.text)")
            let provincePlan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == "provinsi-contoh-2030-2032")
                .with(\.$jurisdiction).first())
            #expect(provincePlan.status == .adopted && provincePlan.jurisdiction?.kind == .province)
        }
    }
}
