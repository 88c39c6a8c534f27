import Foundation
import NIOCore
import PantauDomain
import Vapor

/// Who may call a route at all. Every route declares one (a test fails for any that does not); what
/// belongs to whom (an organisation's own reports) is checked further in the controller.
public enum RoutePolicy: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, without an account.
    case everyone
    /// Any signed-in account.
    case signedIn
    /// Accounts with one of these roles.
    case roles(Set<UserRole>)

    static let secretariat = RoutePolicy.roles([.secretariat])
    static let implementer = RoutePolicy.roles([.implementer])
    /// Reading unpublished work: the secretariat and the joint secretariat's reviewers.
    static let readAll = RoutePolicy.roles([.secretariat, .reviewer])

    public func allows(_ user: CurrentUser?) -> Bool {
        switch self {
        case .everyone: true
        case .signedIn: user != nil
        case .roles(let roles): user.map { roles.contains($0.role) } ?? false
        }
    }

    public var description: String {
        switch self {
        case .everyone: "everyone"
        case .signedIn: "signedIn"
        case .roles(let roles): roles.map(\.rawValue).sorted().joined(separator: "+")
        }
    }
}

extension Route {
    public var policy: RoutePolicy? { userInfo["policy"] as? RoutePolicy }

    /// The query parameters the route's handler reads; any other is no part of its answer.
    var queryParameters: [String] { userInfo["query"] as? [String] ?? [] }
}

extension Application {
    /// Registers the route at `address` that checks `policy` before anything else, and, for forms, the CSRF token. The
    /// body is read only after the policy passed (up to the limit `body` names), so a caller without the right to send
    /// one is refused before the server holds any of it. `query` names the query parameters the handler reads.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ address: some SiteAddress, policy: RoutePolicy, body: HTTPBodyStreamStrategy = .collect,
        query: [String] = [], use handler: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        siteAddresses[address.name] = address
        let readsBody = method != .GET && method != .HEAD
        let route = self.on(method, address.pathComponents, body: .stream) { request async throws -> Response in
            try request.enforce(policy)
            if readsBody, case .collect(let limit) = body { try await request.collectBody(upTo: limit) }
            if readsBody, !request.isAPI { try request.verifyCSRF() }
            return try await handler(request)
        }
        route.userInfo["policy"] = policy
        route.userInfo["query"] = query
        route.userInfo["cacheable"] = method == .GET && policy == .everyone && !address.isPersonal
        return route
    }

    private struct SiteAddressesKey: StorageKey { typealias Value = [String: any SiteAddress] }

    /// Every registered address by name, for links built in templates (`#url`).
    var siteAddresses: [String: any SiteAddress] {
        get { storage[SiteAddressesKey.self] ?? [:] }
        set { storage[SiteAddressesKey.self] = newValue }
    }
}

extension Route {
    /// May the public page cache keep this route's answers for visitors without an account?
    var isCacheable: Bool { userInfo["cacheable"] as? Bool ?? false }
}

extension Request {
    func enforce(_ policy: RoutePolicy) throws {
        guard !policy.allows(currentUser) else { return }
        throw currentUser == nil ? AppError.signInRequired : AppError.forbidden
    }

    /// Reads the whole body into memory, at most `limit` (else the application's default) bytes: 413 beyond; 408 when
    /// it has not arrived whole within the application's body timeout (a client that trickles a byte at a time).
    func collectBody(upTo limit: ByteCount?) async throws {
        guard body.data == nil else { return }
        let maximum = limit?.value ?? application.routes.defaultMaxBodySize.value
        let deadline = application.bodyTimeout
        let loop = eventLoop
        let collected = loop.makePromise(of: Void.self)
        loop.execute {
            let timer = loop.scheduleTask(in: deadline) { collected.fail(AppError.http(.requestTimeout)) }
            self.body.collect(max: maximum).whenComplete { result in
                timer.cancel()
                collected.completeWith(result.map { _ in })
            }
        }
        try await collected.futureResult.get()
    }
}

extension Application {
    private struct BodyTimeoutKey: StorageKey { typealias Value = TimeAmount }

    /// How long a request body may take to arrive whole (`PANTAU_BODY_TIMEOUT`).
    var bodyTimeout: TimeAmount {
        get { storage[BodyTimeoutKey.self] ?? .seconds(300) }
        set { storage[BodyTimeoutKey.self] = newValue }
    }
}
