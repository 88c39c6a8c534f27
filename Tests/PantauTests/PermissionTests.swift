import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor
import VaporTesting

/// Walks every registered route as every kind of caller and fails if anyone can do what SPEC.md does not allow, or
/// cannot do what it does. What each address allows is written out below from SPEC.md "Who uses it" and issue 15, on
/// its own: it is not read from the policies the routes declare, so a route that declares the wrong one fails here.
@Suite("Permissions on every route")
struct PermissionTests {
    /// Who may call an address, in SPEC.md's words.
    enum Rule: Equatable {
        /// Anyone, signed in or not.
        case everyone
        /// Any signed-in account.
        case anyAccount
        /// Those who read a plan's unpublished work and comment on it: its secretariat, reviewers and monitors.
        case readersOfPlan
        /// The secretariat of the plan: manages, verifies, scores and publishes it.
        case secretariatOfPlan
        /// Accounts and organisations serve every plan: the national secretariat (given every plan) alone.
        case nationalSecretariat
        /// The plan's independent monitor.
        case monitorOfPlan
        /// An implementer.
        case implementer
        /// The implementer of the organisation a target belongs to: reports on it.
        case targetsOrganisation
        /// Implementers for their organisation, and the secretariat: co-creation meetings and their minutes.
        case meetingRecorders
        /// The thread of a report: the implementer of its organisation and the readers of its plan.
        case reportThread
    }

    /// Every address with its rule. A route that is not here fails `everyRouteIsInTheTable`.
    static let table: [String: Rule] = [
        "GET /": .everyone, "GET /plans": .everyone, "GET /plans/:code": .everyone, "GET /plans/:code/commitments/:number": .everyone,
        "GET /terms": .everyone, "GET /feed.atom": .everyone, "GET /search": .everyone, "GET /data": .everyone, "GET /data/:file": .everyone, "GET /data/datapackage.json": .everyone, "GET /data/catalog.jsonld": .everyone,
        "GET /overview": .everyone, "GET /overview.csv": .everyone, "GET /api/v1/overview": .everyone, "GET /organisations": .everyone,
        "GET /api/v1/organisations": .everyone, "GET /plans/:code/dashboard": .everyone, "GET /organisations/:id": .everyone, "GET /plans/:code/export/:format": .everyone,
        "GET /login": .everyone, "POST /login": .everyone, "POST /logout": .anyAccount,
        "GET /work": .anyAccount, "GET /notifications": .anyAccount, "POST /notifications/read": .anyAccount,
        "GET /notifications/:id": .anyAccount, "POST /account/notifications": .anyAccount, "GET /account": .anyAccount, "POST /account/tokens": .anyAccount, "POST /account/tokens/:id/revoke": .anyAccount,
        // Accounts and organisations.
        "GET /admin": .nationalSecretariat, "GET /admin/organisations": .nationalSecretariat, "POST /admin/organisations": .nationalSecretariat,
        "POST /admin/organisations/:id": .nationalSecretariat, "GET /admin/users": .nationalSecretariat, "POST /admin/users": .nationalSecretariat,
        "GET /admin/users/:id": .nationalSecretariat, "POST /admin/users/:id": .nationalSecretariat,
        "POST /admin/users/:id/deactivate": .nationalSecretariat, "POST /admin/users/:id/reactivate": .nationalSecretariat,
        "GET /admin/users/:id/reset-password": .nationalSecretariat, "POST /admin/users/:id/reset-password": .nationalSecretariat,
        "GET /admin/users/:id/password": .nationalSecretariat,
        "GET /admin/regions": .nationalSecretariat, "POST /admin/regions": .nationalSecretariat,
        "GET /admin/holidays": .nationalSecretariat, "POST /admin/holidays": .nationalSecretariat,
        "POST /admin/holidays/:id/remove": .nationalSecretariat, "GET /admin/emails": .nationalSecretariat,
        "POST /admin/holidays/reminders": .nationalSecretariat,
        // Plans: import, archive.
        "GET /admin/plans": .secretariatOfPlan, "POST /admin/plans": .secretariatOfPlan,
        "GET /admin/plans/:code/archive": .secretariatOfPlan, "POST /admin/plans/:code/archive": .secretariatOfPlan,
        // Reporting.
        "GET /report": .implementer, "GET /report/targets/:id": .targetsOrganisation, "POST /report/targets/:id": .targetsOrganisation,
        "GET /evidence/:id": .everyone,
        // Verification.
        "GET /verify": .readersOfPlan, "GET /verify/reports/:id": .readersOfPlan, "POST /verify/reports/:id/clarify": .secretariatOfPlan,
        "POST /verify/reports/:id/score": .secretariatOfPlan, "POST /verify/reports/:id/comment": .readersOfPlan,
        "GET /verify/plans/:code/:period": .readersOfPlan, "POST /verify/plans/:code/:period/:commitment": .secretariatOfPlan,
        "GET /monitor/plans/:code/:semester": .monitorOfPlan, "POST /monitor/plans/:code/:semester/:number": .monitorOfPlan,
        "GET /admin/semesters": .secretariatOfPlan, "POST /admin/semesters/:id/window": .secretariatOfPlan,
        "POST /admin/semesters/:id/reopen": .secretariatOfPlan,
        "GET /admin/plans/:code/publish/:period": .secretariatOfPlan, "POST /admin/plans/:code/publish/:period": .secretariatOfPlan,
        "GET /plans/:code/report": .everyone, "GET /plans/:code/report.csv": .everyone, "POST /plans/:code/report/notes": .secretariatOfPlan,
        // Meetings and co-creation.
        "GET /meetings": .everyone, "GET /meetings/new": .meetingRecorders, "POST /meetings": .meetingRecorders, "GET /meetings/:id": .everyone,
        "POST /meetings/:id/publish": .secretariatOfPlan, "GET /meetings/attachments/:id": .everyone,
        "GET /cocreation": .everyone, "POST /cocreation/plans": .secretariatOfPlan, "GET /cocreation/plans/:code": .everyone,
        "POST /cocreation/plans/:code/phases": .secretariatOfPlan, "POST /cocreation/plans/:code/timeline": .secretariatOfPlan, "POST /cocreation/plans/:code/adopt": .secretariatOfPlan,
        "GET /cocreation/plans/:code/proposals/new": .implementer, "POST /cocreation/plans/:code/proposals": .implementer,
        "GET /cocreation/plans/:code/comments": .readersOfPlan, "POST /cocreation/comments/:id": .secretariatOfPlan,
        "GET /proposals/:id": .everyone, "GET /plans/:code/forum": .everyone, "POST /plans/:code/forum": .secretariatOfPlan,
        "POST /plans/:code/forum/:id/remove": .secretariatOfPlan, "POST /proposals/:id/stages": .secretariatOfPlan,
        "GET /proposals/:id/edit": .implementer, "POST /proposals/:id/edit": .implementer, "POST /proposals/:id/withdraw": .implementer,
        "GET /plans/:code/commitments/:number/comment": .everyone, "POST /plans/:code/commitments/:number/comment": .everyone,
        "GET /plans/:code/follow": .everyone, "POST /plans/:code/follow": .everyone,
        "GET /plans/:code/commitments/:number/follow": .everyone, "POST /plans/:code/commitments/:number/follow": .everyone,
        "GET /plans/:code/commitments/:number/feed.atom": .everyone,
        "GET /follow/:token/confirm": .everyone, "POST /follow/:token/confirm": .everyone,
        "GET /follow/:token/unsubscribe": .everyone, "POST /follow/:token/unsubscribe": .everyone,
        "GET /plans/:code/commitments/:number/edit": .secretariatOfPlan, "POST /plans/:code/commitments/:number/edit": .secretariatOfPlan,
        "GET /plans/:code/versions": .everyone, "GET /plans/:code/versions/:version": .everyone,
        "GET /plans/:code/versions/:version/plan.json": .everyone,
        // The API.
        "GET /api/v1/openapi.json": .everyone, "GET /api/v1/plans": .everyone, "GET /api/v1/plans/:code": .everyone,
        "GET /api/v1/plans/:code/commitments/:number": .everyone,
        "GET /api/v1/reporting/targets": .implementer, "GET /api/v1/reporting/targets/:id/report": .targetsOrganisation,
        "PUT /api/v1/reporting/targets/:id/report": .targetsOrganisation, "POST /api/v1/reporting/targets/:id/report/evidence": .targetsOrganisation,
        "POST /api/v1/reporting/targets/:id/report/submit": .targetsOrganisation,
        "GET /api/v1/reports/:id": .everyone, "POST /api/v1/reports/:id/messages": .reportThread,
        "POST /api/v1/reports/:id/clarification": .secretariatOfPlan, "POST /api/v1/reports/:id/score": .secretariatOfPlan,
        "GET /api/v1/verification/reports": .readersOfPlan,
        "PUT /api/v1/plans/:code/semesters/:semester/window": .secretariatOfPlan,
        "PUT /api/v1/plans/:code/semesters/:semester/assessments/:number": .secretariatOfPlan,
        "PUT /api/v1/plans/:code/years/:year/assessments/:number": .secretariatOfPlan,
        "GET /api/v1/plans/:code/semesters/:semester/publication-check": .secretariatOfPlan,
        "GET /api/v1/plans/:code/years/:year/publication-check": .secretariatOfPlan,
        "POST /api/v1/plans/:code/semesters/:semester/publish": .secretariatOfPlan,
        "POST /api/v1/plans/:code/years/:year/publish": .secretariatOfPlan,
        "GET /api/v1/plans/:code/semesters/:semester/results": .everyone, "GET /api/v1/plans/:code/years/:year/results": .everyone,
        "GET /api/v1/plans/:code/report": .everyone, "GET /api/v1/search": .everyone, "GET /api/v1/plans/:code/dashboard": .everyone,
        "GET /api/v1/organisations/:id": .everyone, "GET /api/v1/meetings": .everyone, "GET /api/v1/meetings/:id": .everyone,
        "GET /api/v1/plans/:code/monitoring": .everyone,
        "PUT /api/v1/plans/:code/semesters/:semester/monitoring/:number": .monitorOfPlan,
        "GET /api/v1/plans/:code/versions": .everyone, "GET /api/v1/plans/:code/versions/:version": .everyone,
        "GET /api/v1/plans/:code/commitments/:number/comments": .everyone,
    ]

    /// The callers of the walk: the plans are P (the sample plan) and Q (another plan, of another region).
    struct Who {
        let name: String
        let role: UserRole?
        /// nil: every plan.
        let plans: Set<String>?
        /// For an implementer: is it the organisation of the report and target the walk uses (A), or another (B)?
        let isReportsOrganisation: Bool

        static let p = "contoh-2030-2032", q = "wilayah-q-2030-2032"
        static let all: [Who] = [
            Who(name: "visitor", role: nil, plans: [], isReportsOrganisation: false),
            Who(name: "implementer A", role: .implementer, plans: [], isReportsOrganisation: true),
            Who(name: "implementer B", role: .implementer, plans: [], isReportsOrganisation: false),
            Who(name: "reviewer of P", role: .reviewer, plans: [p], isReportsOrganisation: false),
            Who(name: "reviewer of Q", role: .reviewer, plans: [q], isReportsOrganisation: false),
            Who(name: "monitor of P", role: .monitor, plans: [p], isReportsOrganisation: false),
            Who(name: "secretariat of P", role: .secretariat, plans: [p], isReportsOrganisation: false),
            Who(name: "secretariat of Q", role: .secretariat, plans: [q], isReportsOrganisation: false),
            Who(name: "national secretariat", role: .secretariat, plans: nil, isReportsOrganisation: false),
        ]

        var email: String { name.replacingOccurrences(of: " ", with: ".") + "@contoh.test" }

        func holds(_ plan: String) -> Bool { plans?.contains(plan) ?? true }
    }

    enum Verdict: Equatable {
        case allowed
        /// Refused for what the caller is: 401 (or the sign-in page) for a visitor, 403 for an account.
        case refusedByRole
        /// Refused because the thing is of a plan or an organisation not the caller's: 403 or 404.
        case refusedByOwnership
    }

    /// What SPEC.md says of `who` calling an address of `rule`, about a thing of `plan` (nil: of no one plan).
    static func verdict(_ who: Who, _ rule: Rule, plan: String?) -> Verdict {
        func ofPlan(_ roles: Set<UserRole>) -> Verdict {
            guard let role = who.role, roles.contains(role) else { return .refusedByRole }
            guard let plan else { return .allowed }
            return who.holds(plan) ? .allowed : .refusedByOwnership
        }
        switch rule {
        case .everyone: return .allowed
        case .anyAccount: return who.role == nil ? .refusedByRole : .allowed
        case .readersOfPlan: return ofPlan([.secretariat, .reviewer, .monitor])
        case .secretariatOfPlan: return ofPlan([.secretariat])
        case .monitorOfPlan: return ofPlan([.monitor])
        case .nationalSecretariat: return who.role == .secretariat && who.plans == nil ? .allowed : .refusedByRole
        case .implementer: return who.role == .implementer ? .allowed : .refusedByRole
        case .targetsOrganisation:
            guard who.role == .implementer else { return .refusedByRole }
            return who.isReportsOrganisation ? .allowed : .refusedByOwnership
        case .meetingRecorders: return who.role == .implementer || who.role == .secretariat ? .allowed : .refusedByRole
        case .reportThread:
            if who.role == .implementer { return who.isReportsOrganisation ? .allowed : .refusedByOwnership }
            return ofPlan([.secretariat, .reviewer, .monitor])
        }
    }

    static func key(_ route: Route) -> String {
        "\(route.method) /" + route.path.map { component -> String in
            if case .parameter(let name) = component { return ":" + name }
            return component.description
        }.joined(separator: "/")
    }

    @Test func everyRouteDeclaresWhoMayCallIt() async throws {
        try await withTestApp(.sqlite) { app in
            let undeclared = app.routes.all.filter { $0.policy == nil }.map { "\($0.method) /\($0.path.string)" }
            #expect(undeclared.isEmpty, "routes without a policy: \(undeclared)")
        }
    }

    @Test func everyRouteIsInTheTable() async throws {
        try await withTestApp(.sqlite) { app in
            let keys = Set(app.routes.all.map(Self.key))
            #expect(keys.subtracting(Self.table.keys).sorted() == [], "routes this test does not know")
            #expect(Set(Self.table.keys).subtracting(keys).sorted() == [], "addresses in the table that are not routes")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyRouteAsEveryCaller(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let p = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == Who.p).first()?.id)
            let q = try await importPlan(SamplePlan.document(code: Who.q), on: app.db)
            let organisation = try #require(try await OrganisationModel.query(on: app.db).filter(\.$name == SamplePlan.agency.name).first())
            // Plan P's things addressed by their id: implementer A's B06 target, handed in; its semester.
            let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$plan.$id == p).filter(\.$code == "B06").first())
            let target = try #require(try await TargetModel.query(on: app.db).filter(\.$semester.$id == semester.requireID())
                .join(SuccessMeasureModel.self, on: \TargetModel.$measure.$id == \SuccessMeasureModel.$id)
                .filter(SuccessMeasureModel.self, \.$responsible.$id == organisation.requireID()).first())
            let report = TargetReportModel(targetID: try target.requireID(), organisationID: try organisation.requireID())
            report.status = .submitted
            report.achievement = "Selesai."
            report.submittedAt = Date()
            try await report.create(on: app.db)
            // An account the walk may deactivate and reset without locking anyone out.
            let spare = try await AccountCreation.create(name: "Cadangan", email: "cadangan@contoh.test", role: .reviewer, organisation: nil,
                                                         password: TestAccounts.password, on: app.db)

            var browsers: [String: TestBrowser] = [:]
            var tokens: [String: String] = [:]
            for who in Who.all {
                guard let role = who.role else {
                    browsers[who.name] = TestBrowser(app: app)
                    continue
                }
                let model: UserModel
                switch who.name {
                case "implementer A": model = try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerA.email).first())
                case "implementer B": model = try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerB.email).first())
                default:
                    model = try await AccountCreation.create(name: who.name, email: who.email, role: role, organisation: nil,
                                                             password: TestAccounts.password, on: app.db)
                    model.allPlans = who.plans == nil
                    try await model.save(on: app.db)
                    for plan in who.plans ?? [] {
                        try await PlanGrantModel(userID: model.requireID(), planID: plan == Who.p ? p : q).create(on: app.db)
                    }
                }
                let account = TestAccounts.Account(email: model.email, password: TestAccounts.password, role: role, organisation: nil)
                browsers[who.name] = try await TestBrowser.signedIn(account, app: app)
                let token = APITokens.generate()
                try await APITokenModel(userID: model.requireID(), name: "uji", tokenHash: APITokens.hash(token)).create(on: app.db)
                tokens[who.name] = token
            }

            /// The id a path takes, by what it addresses; a random one (nothing) where the walk has no such thing.
            func id(for key: String) -> (String, ofPlanP: Bool) {
                if key.contains("/reports/:id") { return (report.id!.uuidString, true) }
                if key.contains("/targets/:id") { return (target.id!.uuidString, true) }
                if key.contains("/semesters/:id") { return (semester.id!.uuidString, true) }
                if key.contains("organisations/:id") { return (organisation.id!.uuidString, false) }
                if key.contains("/users/:id") { return (spare.id!.uuidString, false) }
                return (UUID().uuidString, false)
            }

            var walked = 0
            for route in app.routes.all where route.path.string != "logout" {
                let key = Self.key(route)
                let rule = try #require(Self.table[key], "\(key) is not in the table")
                let hasCode = route.path.contains { if case .parameter("code") = $0 { true } else { false } }
                // Every address of a plan as P's and as Q's; any other address once.
                for plan in hasCode ? [Who.p, Who.q] : [nil] {
                    let (idValue, idOfP) = id(for: key)
                    let values = ["code": plan ?? "", "number": "1", "format": "json", "file": "commitments.csv", "period": "B06",
                                  "semester": "B06", "year": "2031", "version": "1", "commitment": UUID().uuidString, "id": idValue]
                    let path = "/" + route.path.map { component -> String in
                        if case .parameter(let name) = component { return values[name] ?? UUID().uuidString }
                        return component.description
                    }.joined(separator: "/")
                    let ofPlan = plan ?? (idOfP ? Who.p : nil)
                    let isAPI = path.hasPrefix("/api/")
                    for who in Who.all {
                        let response: BrowserResponse
                        if isAPI {
                            var headers = HTTPHeaders()
                            if let token = tokens[who.name] { headers.bearerAuthorization = BearerAuthorization(token: token) }
                            response = try await TestBrowser(app: app).send(route.method, path, body: nil, contentType: nil, headers: headers)
                        } else if route.method == .GET {
                            response = try await browsers[who.name]!.get(path)
                        } else {
                            response = try await browsers[who.name]!.post(path)
                        }
                        let toSignIn = response.status == .unauthorized
                            || (response.status == .seeOther && response.headers.first(name: .location)?.hasPrefix("/login") == true)
                        let said = "\(who.name) → \(route.method) \(path): \(response.status)"
                        switch Self.verdict(who, rule, plan: ofPlan) {
                        case .allowed:
                            #expect(!toSignIn && response.status != .forbidden, "\(said), SPEC allows it")
                        case .refusedByRole:
                            #expect(who.role == nil ? toSignIn : response.status == .forbidden, "\(said), SPEC refuses it")
                        case .refusedByOwnership:
                            #expect([.forbidden, .notFound].contains(response.status), "\(said), not the caller's")
                        }
                        #expect(response.status.code < 500, "\(said)")
                        walked += 1
                    }
                }
            }
            #expect(walked > 1000, "\(walked)")
            // The walk changed nothing of P it may not: the report was not scored by anyone, the spare account is as it was
            // or deactivated by the national secretariat only.
            #expect(try await TargetReportModel.find(report.requireID(), on: app.db)?.score == nil)
        }
    }
}
