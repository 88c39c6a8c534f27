import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import SQLKit
import Testing
import Vapor

/// The secretariat's account pages: the form's mistakes, the organisation picker, editing, deactivation.
@Suite("Account administration")
struct AccountAdminTests {
    static func user(_ email: String, on app: Application) async throws -> UserModel {
        try #require(try await UserModel.query(on: app.db).filter(\.$email == email).first())
    }

    @Test(arguments: TestDatabase.allCases)
    func aFormWithMistakesComesBackWithWhatWasTyped(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let empty = try await seknas.get("/admin/users")
            // No role is chosen beforehand: the first option is empty and the field is required.
            #expect(empty.text.contains("<select id=\"role\" name=\"role\" required >\n    <option value=\"\">Pilih…</option>"))
            #expect(!empty.text.contains("selected"))

            let noRole = try await seknas.post("/admin/users", form: ["name": "Tanpa Peran", "email": "tanpa.peran@contoh.test", "organisation": ""])
            #expect(noRole.status == .unprocessableEntity)
            #expect(noRole.text.contains("<p class=\"field-error\" id=\"role-error\">Pilih peran akun.</p>"))
            #expect(noRole.text.contains("value=\"Tanpa Peran\""))
            #expect(noRole.text.contains("value=\"tanpa.peran@contoh.test\""))
            #expect(!noRole.text.contains("Terjadi kesalahan"), "the form, not the error page")

            let badEmail = try await seknas.post("/admin/users", form: ["name": "Surel Salah", "email": "bukan-surel", "role": "reviewer", "plans[]": "*"])
            #expect(badEmail.status == .unprocessableEntity)
            #expect(badEmail.text.contains("id=\"email-error\""))
            #expect(badEmail.text.contains("<option value=\"reviewer\" selected>"))

            let taken = try await seknas.post("/admin/users", form: ["name": "Kembar", "email": TestAccounts.reviewer.email, "role": "reviewer", "plans[]": "*"])
            #expect(taken.status == .conflict)
            #expect(taken.text.contains("<p class=\"field-error\" id=\"email-error\">Sudah ada akun dengan e-mail"))

            let english = try await seknas.post("/admin/users?lang=en", form: ["name": "No Role", "email": "no.role@contoh.test"])
            #expect(english.status == .unprocessableEntity)
            #expect(english.text.contains("Choose the account&#39;s role."))
            #expect(try await UserModel.query(on: app.db).count() == TestAccounts.all.count, "nothing was created")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theOrganisationIsFoundByAcronymOrPartOfItsName(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let page = try await seknas.get("/admin/users")
            #expect(page.text.contains("<option value=\"KCK – Kementerian Contoh Keterbukaan\">"))
            #expect(page.text.contains("<option value=\"Badan Contoh Data\">"))

            for (typed, email, expected) in [("kck", "a@contoh.test", SamplePlan.agency.name), ("warga", "b@contoh.test", SamplePlan.cso.name),
                                             ("PWC – Perkumpulan Warga Contoh", "c@contoh.test", SamplePlan.cso.name)] {
                let created = try await seknas.post("/admin/users", form: ["name": typed, "email": email, "role": "implementer", "organisation": typed])
                #expect(created.status == .seeOther, "\(typed)")
                let user = try await Self.user(email, on: app)
                #expect(try await OrganisationModel.find(user.$organisation.id, on: app.db)?.name == expected, "\(typed)")
            }

            let ambiguous = try await seknas.post("/admin/users", form: ["name": "Ragu", "email": "ragu@contoh.test", "role": "implementer", "organisation": "contoh"])
            #expect(ambiguous.status == .unprocessableEntity)
            #expect(ambiguous.text.contains("id=\"organisation-error\">&#39;contoh&#39; cocok dengan beberapa organisasi: Badan Contoh Data; KCK – Kementerian Contoh Keterbukaan; PWC – Perkumpulan Warga Contoh."))
            #expect(ambiguous.text.contains("value=\"contoh\""))
            let unknown = try await seknas.post("/admin/users", form: ["name": "Asing", "email": "asing@contoh.test", "role": "implementer", "organisation": "Bappenas"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.text.contains("Tidak ada organisasi yang cocok dengan &#39;Bappenas&#39;"))
            let missing = try await seknas.post("/admin/users", form: ["name": "Kosong", "email": "kosong@contoh.test", "role": "implementer"])
            #expect(missing.text.contains("id=\"organisation-error\">Akun pelaksana harus termasuk satu organisasi."))
            let reviewer = try await seknas.post("/admin/users", form: ["name": "Reviu", "email": "reviu2@contoh.test", "role": "reviewer", "organisation": "kck"])
            #expect(reviewer.status == .unprocessableEntity, "a reviewer belongs to no organisation")
            #expect(try await UserModel.query(on: app.db).filter(\.$email ~~ ["ragu@contoh.test", "asing@contoh.test", "kosong@contoh.test", "reviu2@contoh.test"]).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func anEditIsAuditedAndKeepsTheOrganisationRule(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let reviewer = try await Self.user(TestAccounts.reviewer.email, on: app)
            let path = "/admin/users/\(reviewer.id!.uuidString)"
            #expect(try await seknas.get(path).text.contains("<option value=\"reviewer\" selected>"))

            // An implementer needs an organisation: the form comes back, nothing changes.
            let refused = try await seknas.post(path, form: ["name": "Rina Reviu", "role": "implementer", "organisation": ""])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("value=\"Rina Reviu\""))
            #expect(refused.text.contains("id=\"organisation-error\""))
            #expect(try await Self.user(TestAccounts.reviewer.email, on: app).role == .reviewer)

            let changed = try await seknas.post(path, form: ["name": "Rina Pelaksana", "role": "implementer", "organisation": "KCK"])
            #expect(changed.status == .seeOther)
            #expect(changed.headers.first(name: .location) == "/admin/users")
            let after = try await Self.user(TestAccounts.reviewer.email, on: app)
            #expect(after.name == "Rina Pelaksana" && after.role == .implementer)
            let agency = try #require(try await OrganisationModel.query(on: app.db).filter(\.$acronym == "KCK").first())
            #expect(after.$organisation.id == agency.id)
            #expect(try await seknas.get("/admin/users").text.contains("Akun \(TestAccounts.reviewer.email) diubah."))

            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.update").first())
            #expect(entry.objectID == reviewer.id!.uuidString)
            #expect(entry.actorName.contains(TestAccounts.secretariat.email))
            #expect(entry.before?.contains("\"role\":\"reviewer\"") == true)
            #expect(entry.after?.contains("\"role\":\"implementer\"") == true)
            #expect(entry.after?.contains(agency.id!.uuidString) == true)

            // The account's page tells its history field by field, in words.
            let page = try await seknas.get(path).text
            #expect(page.contains("<dt>Peran</dt><dd><del>Peninjau (Sekber)</del> → <ins>Pelaksana</ins></dd>"))
            #expect(page.contains("<dt>Organisasi</dt><dd><del>–</del> → <ins>KCK</ins></dd>"))
            #expect(page.contains("<dt>Nama</dt><dd><del>\(TestAccounts.reviewer.email)</del> → <ins>Rina Pelaksana</ins></dd>"))
            #expect(!page.contains("<dt>E-mail</dt><dd><del>"), "unchanged fields are left out")
            #expect(!page.contains("{&quot;"), "no raw JSON")
            #expect(page.contains(/\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4} \d{2}\.\d{2} WIB/))
            let english = try await seknas.get(path + "?lang=en").text
            #expect(english.contains("<dt>Role</dt><dd><del>Reviewer (joint secretariat)</del> → <ins>Implementer</ins></dd>"))
            #expect(english.contains(/\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} WIB/))

            // The secretariat cannot take its own role away.
            let me = try await Self.user(TestAccounts.secretariat.email, on: app)
            let own = try await seknas.post("/admin/users/\(me.id!.uuidString)", form: ["name": "Seknas", "role": "reviewer"])
            #expect(own.status == .unprocessableEntity)
            #expect(try await Self.user(TestAccounts.secretariat.email, on: app).role == .secretariat)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aDeactivatedAccountCannotSignInNorUseWhatItHeld(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let laptop = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let colleague = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            let user = try await Self.user(TestAccounts.implementerA.email, on: app)
            let token = APITokens.generate()
            try await APITokenModel(userID: user.id!, name: "uji", tokenHash: APITokens.hash(token)).create(on: app.db)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            let api = TestBrowser(app: app)
            #expect(try await api.send(.GET, "/api/v1/reporting/targets", body: nil, contentType: nil, headers: headers).status == .ok)
            #expect(try await laptop.get("/report").status == .ok)

            _ = try await seknas.get("/admin/users/\(user.id!.uuidString)")
            let deactivated = try await seknas.post("/admin/users/\(user.id!.uuidString)/deactivate")
            #expect(deactivated.status == .seeOther)
            #expect(try await Self.user(TestAccounts.implementerA.email, on: app).isActive == false)

            // Its open session stops at its next request; its token is refused.
            let next = try await laptop.get("/report")
            #expect(next.status == .seeOther)
            #expect(next.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await api.send(.GET, "/api/v1/reporting/targets", body: nil, contentType: nil, headers: headers).status == .unauthorized)
            #expect(try await APITokenModel.query(on: app.db).filter(\.$user.$id == user.id!).filter(\.$revokedAt == nil).count() == 0)
            #expect(try await colleague.get("/report").status == .ok, "nobody else is signed out")

            // Sign-in: with the right password it says why; with a wrong one, only what a stranger would read.
            let browser = TestBrowser(app: app)
            _ = try await browser.get("/login")
            let right = try await browser.post("/login", form: ["email": TestAccounts.implementerA.email, "password": TestAccounts.password])
            #expect(right.status == .forbidden)
            #expect(right.text.contains("Akun ini dinonaktifkan."))
            #expect(browser.cookies[SessionSettings.cookieName] == nil)
            let wrong = try await browser.post("/login", form: ["email": TestAccounts.implementerA.email, "password": "salah-sekali-ini"])
            #expect(wrong.status == .unauthorized)
            #expect(!wrong.text.contains("dinonaktifkan"))
            #expect(wrong.text.contains("E-mail atau kata sandi salah."))

            // The list says so and offers the way back; the history records it.
            let list = try await seknas.get("/admin/users").text
            #expect(list.contains("Akun \(TestAccounts.implementerA.email) dinonaktifkan"))
            #expect(list.contains("<strong>Nonaktif</strong>"))
            #expect(list.contains("action=\"/admin/users/\(user.id!.uuidString)/reactivate\""))
            let reactivated = try await seknas.post("/admin/users/\(user.id!.uuidString)/reactivate")
            #expect(reactivated.status == .seeOther)
            #expect(try await TestBrowser.signedIn(TestAccounts.implementerA, app: app).get("/report").status == .ok)
            let actions = try await AuditEntryModel.query(on: app.db).filter(\.$objectID == user.id!.uuidString).sort(\.$id).all().map(\.action)
            #expect(actions.suffix(2) == ["user.deactivate", "user.reactivate"])

            // The secretariat cannot deactivate itself.
            let me = try await Self.user(TestAccounts.secretariat.email, on: app)
            #expect(try await seknas.post("/admin/users/\(me.id!.uuidString)/deactivate").status == .conflict)
            #expect(try await Self.user(TestAccounts.secretariat.email, on: app).isActive)
            #expect(try await seknas.get("/admin").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aSessionOfAnAccountDeactivatedBehindItsBackStops(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let laptop = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            // Deactivated without its sessions being removed (another process, a race): each request still checks.
            let user = try await Self.user(TestAccounts.implementerA.email, on: app)
            user.deactivatedAt = Date()
            try await user.save(on: app.db)
            #expect(try await laptop.get("/report").headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aPasswordIsShownOnceAndOnlyToTheAccountThatMadeIt(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            try await AccountCreation.create(name: "Seknas Dua", email: "seknas.dua@contoh.test", role: .secretariat, organisation: nil,
                                             password: TestAccounts.password, on: app.db)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let other = try await TestBrowser.signedIn(
                TestAccounts.Account(email: "seknas.dua@contoh.test", password: TestAccounts.password, role: .secretariat, organisation: nil), app: app)
            let reviewer = try await Self.user(TestAccounts.reviewer.email, on: app)
            _ = try await seknas.get("/admin/users/\(reviewer.id!.uuidString)/reset-password")
            let reset = try await seknas.post("/admin/users/\(reviewer.id!.uuidString)/reset-password")
            let location = try #require(reset.headers.first(name: .location))
            // The other secretariat has the handle too (a copied cookie): it is not theirs.
            let handle = try #require(seknas.cookies[OneTimePasswords.cookieName])
            other.cookies[OneTimePasswords.cookieName] = handle
            #expect(!(try await other.get(location).text.contains("class=\"once\"")))
            // Kept in the database so that the page may be served by another server process than the form, but sealed:
            // neither the handle nor the password is in the row.
            struct Row: Decodable { let id: String; let sealed: String }
            let rows = try await (app.db as! any SQLDatabase).select().columns("id", "sealed").from(OneTimePasswords.table).all(decoding: Row.self)
            #expect(rows.count == 1)
            let shown = try await seknas.get(location).text
            let password = try #require(shown.firstMatch(of: /class="once">([^<]+)</)?.1)
            #expect(rows.allSatisfy { !$0.sealed.contains(password) && !$0.id.contains(handle) && !(Data(base64Encoded: $0.sealed).map { String(decoding: $0, as: UTF8.self).contains(password) } ?? false) })
            // The password works: it is the account's.
            _ = try await TestBrowser.signedIn(TestAccounts.Account(email: TestAccounts.reviewer.email, password: String(password), role: .reviewer, organisation: nil), app: app)
            // Given out once, even to a browser that kept the handle; nothing is left behind.
            seknas.cookies[OneTimePasswords.cookieName] = handle
            #expect(!(try await seknas.get(location).text.contains("class=\"once\"")))
            #expect(try await (app.db as! any SQLDatabase).select().column("id").from(OneTimePasswords.table).all().isEmpty)
        }
    }
}
