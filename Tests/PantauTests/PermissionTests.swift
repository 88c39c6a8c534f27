import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor
import VaporTesting

/// Walks every registered route as every kind of caller and fails if anyone can do what SPEC.md does not allow.
@Suite("Permissions on every route")
struct PermissionTests {
    enum Caller: String, CaseIterable, Sendable {
        case visitor, implementerA, implementerB, reviewer, secretariat

        var account: TestAccounts.Account? {
            switch self {
            case .visitor: nil
            case .implementerA: TestAccounts.implementerA
            case .implementerB: TestAccounts.implementerB
            case .reviewer: TestAccounts.reviewer
            case .secretariat: TestAccounts.secretariat
            }
        }
    }

    @Test func everyRouteDeclaresWhoMayCallIt() async throws {
        try await withTestApp(.sqlite) { app in
            let undeclared = app.routes.all.filter { $0.policy == nil }.map { "\($0.method) /\($0.path.string)" }
            #expect(undeclared.isEmpty, "routes without a policy: \(undeclared)")
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func everyRouteAsEveryCaller(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let organisation = try #require(try await OrganisationModel.query(on: app.db).first())
            let user = try #require(try await UserModel.query(on: app.db).first())
            let parameters = ["code": "contoh-2030-2032", "number": "1", "format": "json", "id": organisation.id!.uuidString]
            _ = user

            var browsers: [Caller: TestBrowser] = [:]
            var tokens: [Caller: String] = [:]
            var accounts: [Caller: CurrentUser] = [:]
            for caller in Caller.allCases {
                guard let account = caller.account else {
                    browsers[caller] = TestBrowser(app: app)
                    continue
                }
                browsers[caller] = try await TestBrowser.signedIn(account, app: app)
                let model = try #require(try await UserModel.query(on: app.db).filter(\.$email == account.email).first())
                accounts[caller] = CurrentUser(model)
                let token = APITokens.generate()
                try await APITokenModel(userID: model.id!, name: "uji", tokenHash: APITokens.hash(token)).create(on: app.db)
                tokens[caller] = token
            }

            for route in app.routes.all where route.path.string != "logout" {
                let policy = try #require(route.policy)
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return parameters[name] ?? UUID().uuidString }
                    return component.description
                }.joined(separator: "/")
                let isAPI = path.hasPrefix("/api/")
                for caller in Caller.allCases {
                    let browser = browsers[caller]!
                    let response: BrowserResponse
                    if isAPI {
                        var headers = HTTPHeaders()
                        if let token = tokens[caller] { headers.bearerAuthorization = BearerAuthorization(token: token) }
                        response = try await TestBrowser(app: app).send(route.method, path, body: nil, contentType: nil, headers: headers)
                    } else if route.method == .GET {
                        response = try await browser.get(path)
                    } else {
                        response = try await browser.post(path)
                    }
                    let denied = response.status == .unauthorized || response.status == .forbidden
                        || (response.status == .seeOther && response.headers.first(name: .location)?.hasPrefix("/login") == true)
                    let allowed = policy.allows(accounts[caller])
                    #expect(denied == !allowed, "\(caller.rawValue) → \(route.method) \(path): \(response.status) (policy \(policy))")
                    #expect(response.status.code < 500, "\(caller.rawValue) → \(route.method) \(path): \(response.status)")
                }
            }
        }
    }
}
