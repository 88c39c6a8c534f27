import Fluent
@testable import Pantau
import PantauDomain
import Testing
import Vapor

@Suite("Accounts")
struct AccountTests {
    @Test(arguments: TestDatabase.allCases)
    func createsAccountsForEveryRole(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let password = AccountCreation.generatePassword()
            #expect(password.count == 20)
            let secretariat = try await AccountCreation.create(name: "Seknas", email: " Seknas@Contoh.Test ", role: .secretariat,
                                                               organisation: nil, password: password, on: app.db)
            #expect(secretariat.email == "seknas@contoh.test")
            #expect(try Bcrypt.verify(password, created: secretariat.passwordHash))
            #expect(secretariat.passwordHash != password)

            let implementer = try await AccountCreation.create(name: "Pelaksana", email: "pelaksana@contoh.test", role: .implementer,
                                                               organisation: "kck", password: password, on: app.db)
            let organisation = try await implementer.$organisation.get(on: app.db)
            #expect(organisation?.name == SamplePlan.agency.name)
            try await AccountCreation.create(name: "Reviu", email: "reviu@contoh.test", role: .reviewer, organisation: nil,
                                             password: password, on: app.db)
            let count1 = try await UserModel.query(on: app.db).count()
            #expect(count1 == 3)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func refusesBadAccounts(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let password = "cukup-panjang-sekali"
            func create(_ email: String, _ role: UserRole, _ organisation: String?, password: String = password) async throws {
                try await AccountCreation.create(name: "Nama", email: email, role: role, organisation: organisation,
                                                 password: password, on: app.db)
            }
            await #expect(throws: AccountError.organisationRequired) { try await create("a@contoh.test", .implementer, nil) }
            await #expect(throws: AccountError.organisationNotFound("Tidak Ada")) { try await create("a@contoh.test", .implementer, "Tidak Ada") }
            await #expect(throws: AccountError.organisationNotAllowed(.reviewer)) { try await create("a@contoh.test", .reviewer, "KCK") }
            await #expect(throws: AccountError.invalidEmail("bukan-email")) { try await create("bukan-email", .reviewer, nil) }
            await #expect(throws: AccountError.passwordTooShort(minimum: 12)) { try await create("a@contoh.test", .reviewer, nil, password: "pendek") }
            try await create("a@contoh.test", .reviewer, nil)
            await #expect(throws: AccountError.emailTaken("a@contoh.test")) { try await create("A@contoh.test", .secretariat, nil) }
            let count2 = try await UserModel.query(on: app.db).count()
            #expect(count2 == 1)
        }
    }
}
