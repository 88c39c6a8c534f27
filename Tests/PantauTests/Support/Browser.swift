import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor
import VaporTesting
import AsyncHTTPClient

/// The accounts of the permission tests: one per role, and implementers of two different organisations.
struct TestAccounts {
    struct Account {
        let email: String
        let password: String
        let role: UserRole
        let organisation: String?
    }

    static let password = "kata-sandi-uji-yang-panjang"
    static let secretariat = Account(email: "seknas@contoh.test", password: password, role: .secretariat, organisation: nil)
    /// Implementer of the agency responsible for commitment 1's first measure.
    static let implementerA = Account(email: "pelaksana.a@contoh.test", password: password, role: .implementer, organisation: SamplePlan.agency.name)
    /// Implementer of the CSO responsible for commitment 1's second measure.
    static let implementerB = Account(email: "pelaksana.b@contoh.test", password: password, role: .implementer, organisation: SamplePlan.cso.name)
    static let reviewer = Account(email: "reviu@contoh.test", password: password, role: .reviewer, organisation: nil)
    static let all = [secretariat, implementerA, implementerB, reviewer]

    /// Creates the sample plan (for the organisations) and one account per entry of `all`.
    static func create(on app: Application) async throws {
        if try await ActionPlanModel.query(on: app.db).count() == 0 {
            try await importPlan(SamplePlan.document(), on: app.db)
        }
        for account in all { try await add(account, on: app) }
    }

    /// Only the secretariat's account, signed in: for tests that bring a plan of their own.
    static func secretariatAlone(on app: Application) async throws -> TestBrowser {
        try await add(secretariat, on: app)
        return try await TestBrowser.signedIn(secretariat, app: app)
    }

    private static func add(_ account: Account, on app: Application) async throws {
        try await AccountCreation.create(name: account.email, email: account.email, role: account.role,
                                         organisation: account.organisation, password: account.password, on: app.db)
    }
}

/// A browser's memory for tests: its cookies and the CSRF token of the last page it saw.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf = ""
    /// The shared test client unless a test needs more connections at once.
    var client = testHTTPClient

    init(app: Application) {
        self.app = app
    }

    /// Signs in through the login form, as a person would.
    static func signedIn(_ account: TestAccounts.Account, app: Application) async throws -> TestBrowser {
        let browser = TestBrowser(app: app)
        _ = try await browser.get("/login")
        let response = try await browser.post("/login", form: ["email": account.email, "password": account.password, "next": "/account"])
        guard response.status == .seeOther else { throw TestSetupError("sign-in of \(account.email) failed: \(response.status)") }
        _ = try await browser.get("/account")
        return browser
    }

    func get(_ target: String) async throws -> BrowserResponse {
        try await send(.GET, target, body: nil, contentType: nil)
    }

    func post(_ target: String, form: [String: String] = [:], includeCSRF: Bool = true, headers: HTTPHeaders = [:]) async throws -> BrowserResponse {
        var fields = form
        if includeCSRF { fields["_csrf"] = csrf }
        var components = URLComponents()
        components.queryItems = fields.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send(.POST, target, body: ByteBuffer(string: encoded), contentType: .urlEncodedForm, headers: headers)
    }

    func postMultipart(_ target: String, fields: [String: String], file: (field: String, name: String, data: Data)) async throws -> BrowserResponse {
        let boundary = "pantau-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.merging(["_csrf": csrf], uniquingKeysWith: { a, _ in a }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file.data + Data("\r\n--\(boundary)--\r\n".utf8)
        return try await send(.POST, target, body: ByteBuffer(data: body),
                              contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]))
    }

    /// A form that succeeded answers 303 (Post/Redirect/Get): the page it leads to, as a browser follows it. Any other
    /// answer is returned as it is.
    func follow(_ response: BrowserResponse) async throws -> BrowserResponse {
        guard response.status == .seeOther, let location = response.headers.first(name: .location) else { return response }
        return try await get(location)
    }

    func postAndFollow(_ target: String, form: [String: String] = [:], headers: HTTPHeaders = [:]) async throws -> BrowserResponse {
        guard headers.isEmpty else {
            // The redirect is followed from the same client address the POST claimed.
            let answer = try await post(target, form: form, headers: headers)
            guard answer.status == .seeOther, let location = answer.headers.first(name: .location) else { return answer }
            return try await send(.GET, location, body: nil, contentType: nil, headers: headers)
        }
        return try await follow(try await post(target, form: form))
    }

    func postMultipartAndFollow(_ target: String, fields: [String: String],
                                file: (field: String, name: String, data: Data)) async throws -> BrowserResponse {
        try await follow(try await postMultipart(target, fields: fields, file: file))
    }

    func send(_ method: HTTPMethod, _ target: String, body: ByteBuffer?, contentType: HTTPMediaType?,
              headers extra: HTTPHeaders = [:]) async throws -> BrowserResponse {
        var headers = extra
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let contentType { headers.contentType = contentType }
        let port = try await app.runningPort()
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(target)")
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        // Generous: the whole suite runs in parallel on two cores with every write serialised by the audit lock;
        // a request that never answers still fails the test.
        let answer = try await client.execute(request, timeout: .seconds(300))
        let response = BrowserResponse(status: answer.status, headers: answer.headers,
                                       body: try await answer.body.collect(upTo: 64 * 1024 * 1024))
        for header in response.headers[.setCookie] {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pair = parts.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            let expired = parts.contains { $0.lowercased().hasPrefix("max-age=0") || $0.lowercased().contains("1970") }
            if expired || value.isEmpty { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
        if let match = response.body.string.firstMatch(of: /name="_csrf" value="([^"]+)"/) { csrf = String(match.1) }
        return response
    }
}

/// What a test browser got back.
struct BrowserResponse {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: ByteBuffer
    var text: String { String(buffer: body) }
}
