import Fluent
import Foundation
import NIOCore
import PantauDomain
import Vapor

/// Who may call a route at all. Every route declares one (a test fails for any that does not); whether the caller
/// may act on the particular plan, report or organisation is asked of the same table (`Caller.may`): centrally for
/// addresses with a plan's `:code` or a `RouteOwner`, else in the service.
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

/// What a route's `:id` names, so that whether the caller may act on that report, target or semester (its plan and
/// organisation) is checked before any body is read: a caller of another plan or organisation gets 403 whatever it sent.
public struct RouteOwner: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A report: of a plan (through its target's semester) and of an organisation.
        case report
        /// A target: of a plan, and of the organisation responsible for its measure.
        case target
        /// A semester of a plan.
        case semester
    }

    public let kind: Kind
    /// The caller must be allowed one of these on the thing; empty: the route's own action.
    public let actions: [Action]

    public static let report = RouteOwner(kind: .report, actions: [])
    public static let target = RouteOwner(kind: .target, actions: [])
    public static let semester = RouteOwner(kind: .semester, actions: [])

    /// A report on which the caller may do any of `actions` (a report's thread: its implementer and its plan's readers).
    public static func report(anyOf actions: [Action]) -> RouteOwner { RouteOwner(kind: .report, actions: actions) }
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
        _ method: HTTPMethod, _ address: some SiteAddress, policy: RoutePolicy, owner: RouteOwner? = nil,
        body: HTTPBodyStreamStrategy = .collect, query: [String] = [], use handler: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        siteAddresses[address.name] = address
        let readsBody = method != .GET && method != .HEAD
        let route = self.on(method, address.pathComponents, body: .stream) { request async throws -> Response in
            try request.enforce(policy)
            if case .may(let action) = policy { try await request.enforcePlanScope(action) }
            if let owner { try await request.enforceOwnership(owner, policy: policy) }
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

    /// The caller may do the route's action (or one of `owner.actions`) on the report, target or semester its `:id`
    /// names, as one given its plan or as its organisation; changes wait on an archived plan (409). An id that names
    /// nothing is left to the handler, which answers 404.
    func enforceOwnership(_ owner: RouteOwner, policy: RoutePolicy) async throws {
        guard let caller, let id = parameters.get("id", as: UUID.self) else { return }
        var actions = owner.actions
        if actions.isEmpty, case .may(let action) = policy { actions = [action] }
        let planID: UUID, organisationID: UUID?
        switch owner.kind {
        case .report:
            guard let report = try await TargetReportModel.query(on: db).filter(\.$id == id).with(\.$target).first() else { return }
            guard let semester = try await PlanSemesterModel.find(report.target.$semester.id, on: db) else { return }
            (planID, organisationID) = (semester.$plan.id, report.$organisation.id)
        case .target:
            guard let target = try await TargetModel.query(on: db).filter(\.$id == id).with(\.$semester).with(\.$measure).first() else { return }
            // A report stays with the organisation that wrote it, even when its measure moved to another.
            let writer = try await TargetReportModel.query(on: db).filter(\.$target.$id == id).first()?.$organisation.id
            (planID, organisationID) = (target.semester.$plan.id,
                                        ReportLifecycle.owner(writtenBy: writer, measureResponsible: target.measure.$responsible.id))
        case .semester:
            guard let semester = try await PlanSemesterModel.find(id, on: db) else { return }
            (planID, organisationID) = (semester.$plan.id, nil)
        }
        guard actions.contains(where: { caller.may($0, plan: planID, organisation: organisationID) }) else { throw AppError.forbidden }
        if actions.allSatisfy(\.changesThings) { try await PlanArchive.ensureOpen(planID: planID, on: db) }
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
