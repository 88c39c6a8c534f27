import Fluent
import FluentSQLiteDriver
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

@Suite("The secretariat's pages and the audit history")
struct AdminTests {
    @Test(arguments: TestDatabase.allCases)
    func organisationsAndAccountsAreManagedAndAudited(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)

            _ = try await seknas.get("/admin/organisations")
            let organisation = try await seknas.post("/admin/organisations", form: ["name": "Komisi Contoh", "acronym": "KC", "kind": "government_agency"])
            #expect(organisation.status == .seeOther)
            #expect(try await seknas.get("/admin/organisations").text.contains("Organisasi Komisi Contoh ditambahkan."))
            // A duplicate is a conflict, shown beside the name on the form that keeps what was typed.
            let duplicate = try await seknas.post("/admin/organisations", form: ["name": "Komisi Contoh", "acronym": "KC2", "kind": "civil_society"])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.text.contains("<p class=\"field-error\" id=\"name-error\">Organisasi &#39;Komisi Contoh&#39; sudah ada.</p>"))
            #expect(duplicate.text.contains("value=\"KC2\""))
            #expect(duplicate.text.contains("value=\"civil_society\" selected"))

            let created = try await seknas.post("/admin/users", form: ["name": "Pelaksana Baru", "email": "baru@contoh.test",
                                                                      "role": "implementer", "organisation": "Komisi Contoh"])
            #expect(created.status == .seeOther)
            #expect(!created.text.contains("class=\"once\""), "the password is never in the answer to the form")
            let shownAt = try #require(created.headers.first(name: .location))
            let page = try await seknas.get(shownAt)
            let password = try #require(page.text.firstMatch(of: /class="once">([A-Za-z0-9]+)</)?.1)
            #expect(page.text.contains("Akun baru@contoh.test dibuat."))
            #expect(page.headers.first(name: .cacheControl) == "no-store")
            // A reload shows it no more.
            let reload = try await seknas.get(shownAt)
            #expect(reload.status == .ok)
            #expect(!reload.text.contains(String(password)))
            #expect(!reload.text.contains("class=\"once\""))
            let newcomer = try await TestBrowser.signedIn(
                TestAccounts.Account(email: "baru@contoh.test", password: String(password), role: .implementer, organisation: "Komisi Contoh"), app: app)
            #expect(try await newcomer.get("/account").text.contains("Komisi Contoh"))

            // A reset asks first, naming the account; the new password is shown once, after the redirect.
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$email == "baru@contoh.test").first())
            let confirm = try await seknas.get("/admin/users/\(user.id!.uuidString)/reset-password")
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Pelaksana Baru (baru@contoh.test)"))
            #expect(confirm.text.contains("method=\"post\" action=\"/admin/users/\(user.id!.uuidString)/reset-password\""))
            #expect(try await UserModel.find(user.id, on: app.db)?.passwordHash == user.passwordHash, "looking is not resetting")
            let reset = try await seknas.post("/admin/users/\(user.id!.uuidString)/reset-password")
            #expect(reset.status == .seeOther)
            #expect(!reset.text.contains("class=\"once\""))
            let resetAt = try #require(reset.headers.first(name: .location))
            let newPassword = try #require(try await seknas.get(resetAt).text.firstMatch(of: /class="once">([A-Za-z0-9]+)</)?.1)
            #expect(newPassword != password)
            #expect(!(try await seknas.get(resetAt).text.contains(String(newPassword))))

            // Every change is in the history, with who made it, and never a password.
            // (The sample plan the accounts belong to was imported first, by the system.)
            let entries = try await AuditEntryModel.query(on: app.db).sort(\.$id).all().filter { $0.action != "plan.import" }
            #expect(entries.map(\.action) == ["organisation.create", "user.create", "user.reset_password"])
            #expect(entries.allSatisfy { $0.actorName.contains(TestAccounts.secretariat.email) })
            #expect(entries.allSatisfy { !($0.after ?? "").contains(String(password)) && !($0.after ?? "").contains("$2b$") })
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func tamperingWithTheHistoryIsCaught(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for index in 1...5 {
                try await AuditLog.transaction(on: app.db, actor: .system) { _ in
                    ((), [AuditChange(action: "test.change", objectType: "test", objectID: "\(index)",
                                      before: Optional<String>.none, after: "nilai \(index)")])
                }
            }
            #expect(try await AuditLog.verify(on: app.db) == (5, nil))
            let sql = app.db as! any SQLDatabase
            // Someone edits entry 3 directly in the database.
            try await sql.raw("UPDATE audit_entries SET after_state = '\"nilai palsu\"' WHERE sequence = 3").run()
            let edited = try await AuditLog.verify(on: app.db)
            #expect(edited.broken == AuditLog.BrokenLink(sequence: 3, reason: .contentChanged))
            #expect(edited.entries == 2)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func deletingFromTheHistoryIsCaught(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for index in 1...4 {
                try await AuditLog.transaction(on: app.db, actor: .system) { _ in
                    ((), [AuditChange(action: "test.change", objectType: "test", objectID: "\(index)", before: Optional<String>.none, after: "\(index)")])
                }
            }
            try await (app.db as! any SQLDatabase).raw("DELETE FROM audit_entries WHERE sequence = 2").run()
            #expect(try await AuditLog.verify(on: app.db).broken == AuditLog.BrokenLink(sequence: 2, reason: .gap))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func plansAreUploadedAndDownloadedInThePages(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            var document = SamplePlan.document(code: "unggahan-2030")
            document.title = "Rencana unggahan"
            let workbook = try PlanFiles.encode(document, as: .xlsx)
            let uploaded = try await seknas.postMultipartAndFollow("/admin/plans", fields: ["draft": "on"], file: ("file", "rencana.xlsx", workbook))
            #expect(uploaded.status == .ok)
            #expect(uploaded.text.contains("Rencana aksi unggahan-2030 diimpor: 2 komitmen, 7 target."))
            #expect(try await ActionPlanModel.query(on: app.db).filter(\.$code == "unggahan-2030").first()?.status == .draft)

            // A broken file: every problem listed, nothing written.
            var broken = String(decoding: try PlanFiles.encode(SamplePlan.document(code: "rusak-2030"), as: .csv), as: UTF8.self)
            broken = broken.replacingOccurrences(of: ",B12,", with: ",B13,")
            let refused = try await seknas.postMultipartAndFollow("/admin/plans", fields: [:], file: ("file", "rusak.csv", Data(broken.utf8)))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Baris 3, kolom semester: Semester &#39;B13&#39; tidak dikenal."))
            #expect(try await ActionPlanModel.query(on: app.db).filter(\.$code == "rusak-2030").count() == 0)

            // Anyone downloads, in every format; the download is the same plan.
            for format in PlanFileFormat.allCases {
                let download = try await TestBrowser(app: app).get("/plans/unggahan-2030/export/\(format.rawValue)")
                #expect(download.status == .ok)
                #expect(download.headers.first(name: .contentDisposition)?.contains("unggahan-2030.\(format.rawValue)") == true)
                #expect(try PlanFiles.decode(Data(buffer: download.body), as: format).title == "Rencana unggahan")
            }
            let imports = try await AuditEntryModel.query(on: app.db).filter(\.$action == "plan.import").all()
            #expect(imports.filter { $0.actorName.contains(TestAccounts.secretariat.email) }.count == 1)

            // An implementer may not upload.
            let implementer = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let denied = try await implementer.postMultipartAndFollow("/admin/plans", fields: [:], file: ("file", "rencana.xlsx", workbook))
            #expect(denied.status == .forbidden)
        }
    }
}
