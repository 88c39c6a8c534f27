import Fluent
import Foundation
import NIOCore
import PantauDomain
import Vapor

/// Who may call a route at all. Every route declares one (a test fails for any that does not); whether the caller
/// may act on the particular plan, report or organisation is asked of the same table (`Caller.may`) in the controller.
public enum RoutePolicy: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, without an account.
    case everyone
    /// Any signed-in account.
    case signedIn
    /// Accounts whose role may do this action for some plan or organisation (`Permissions.table`).
    case may(Action)

    public func allows(_ user: CurrentUser?) -> Bool {
        switch self {
        case .everyone: true
        case .signedIn: user != nil
        case .may(let action): user?.caller.mayEver(action) ?? false
        }
    }

    public var description: String {
        switch self {
        case .everyone: "everyone"
        case .signedIn: "signedIn"
        case .may(let action): action.rawValue
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
            if case .may(let action) = policy { try await request.enforcePlanScope(action) }
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

    /// On an address of one plan (`:code`), an action that needs the plan (`Requirement.ownPlan`) needs the caller to
    /// hold that plan: a secretariat of one region gets 403 for everything of another's plan, before the body is read.
    /// An action that changes something is refused on an archived plan (409). An unknown code is left to the handler's
    /// own 404.
    func enforcePlanScope(_ action: Action) async throws {
        guard let caller, let code = parameters.get("code") else { return }
        let needsPlan = Permissions.requirement(caller.role, action) == .ownPlan && caller.plans != .all
        guard needsPlan || action.changesThings else { return }
        guard let plan = try await ActionPlanModel.query(on: db).filter(\.$code == code).first() else { return }
        if needsPlan, !caller.may(action, plan: try plan.requireID()) { throw AppError.forbidden }
        if action.changesThings { try PlanArchive.ensureOpen(plan) }
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
