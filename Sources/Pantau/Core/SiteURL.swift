import Foundation
import Vapor

/// Where one page or endpoint lives. The same pattern registers its route (`routes.swift`) and builds every link to it,
/// from Swift (`SiteURL.commitment.path(code, number)`, checked by the compiler) and from templates
/// (`#url("commitment", code, number)`), so a renamed route cannot leave a dead link behind.
public struct SiteRoute<each Value: CustomStringConvertible & Sendable>: SiteAddress {
    public let name: String
    let segments: [RouteSegment]
    /// Never kept by the public page cache even when anyone may ask for it: a form with its own token, a file streamed
    /// from disk, an answer that depends on the query.
    public let isPersonal: Bool

    init(_ name: String, _ pattern: String, personal: Bool = false) {
        self.name = name
        self.segments = pattern.split(separator: "/").map {
            $0.hasPrefix(":") ? .parameter(String($0.dropFirst())) : .literal(String($0))
        }
        self.isPersonal = personal
    }

    /// The address with its parameters filled in, each percent-encoded.
    public func path(_ values: repeat each Value) -> String {
        var filled: [String] = []
        for value in repeat each values { filled.append(value.description) }
        return fill(filled)
    }

    public var parameterCount: Int { segments.count { if case .parameter = $0 { true } else { false } } }

    public var pathComponents: [PathComponent] {
        segments.map {
            switch $0 {
            case .literal(let text): .constant(text)
            case .parameter(let name): .parameter(name)
            }
        }
    }

    public func fill(_ values: [String]) -> String {
        var remaining = values.makeIterator()
        let parts = segments.map { segment -> String in
            switch segment {
            case .literal(let text): text
            case .parameter(let name): (remaining.next() ?? ":\(name)").addingPercentEncoding(withAllowedCharacters: .pathSegment) ?? ""
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// One level of a route's path: a fixed word or a named parameter.
enum RouteSegment: Sendable {
    case literal(String)
    case parameter(String)
}

/// A route address without its parameter types: what the route table, the page cache and `#url` need.
public protocol SiteAddress: Sendable {
    var name: String { get }
    var isPersonal: Bool { get }
    var parameterCount: Int { get }
    var pathComponents: [PathComponent] { get }
    /// The address with `values` in place of its parameters, in order.
    func fill(_ values: [String]) -> String
}

extension CharacterSet {
    /// What may stand in one path segment unescaped: a value never adds a level to the path.
    static let pathSegment = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;"))
}

extension String {
    /// The address with a query string; parameters without a value are left out.
    func with(query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.queryItems = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        guard let items = components.queryItems, !items.isEmpty else { return self }
        return self + "?" + (components.percentEncodedQuery ?? "")
    }
}

/// Every page and endpoint of Pantau. `routes.swift` registers each with its policy; nothing else spells a path.
public enum SiteURL {
    // The public portal.
    static let home = SiteRoute< >("home", "")
    static let plans = SiteRoute< >("plans", "plans")
    static let plan = SiteRoute<String>("plan", "plans/:code")
    static let commitment = SiteRoute<String, Int>("commitment", "plans/:code/commitments/:number")
    static let overview = SiteRoute< >("overview", "overview")
    static let overviewCSV = SiteRoute< >("overviewCSV", "overview.csv")
    static let organisations = SiteRoute< >("organisations", "organisations")
    static let dashboard = SiteRoute<String>("dashboard", "plans/:code/dashboard")
    static let organisation = SiteRoute<UUID>("organisation", "organisations/:id")
    static let planExport = SiteRoute<String, String>("planExport", "plans/:code/export/:format", personal: true)
    static let evaluation = SiteRoute<String>("evaluation", "plans/:code/report")
    static let evaluationCSV = SiteRoute<String>("evaluationCSV", "plans/:code/report.csv")
    static let evaluationNotes = SiteRoute<String>("evaluationNotes", "plans/:code/report/notes")
    static let planVersions = SiteRoute<String>("planVersions", "plans/:code/versions")
    static let planVersion = SiteRoute<String, Int>("planVersion", "plans/:code/versions/:version")
    static let planVersionFile = SiteRoute<String, Int>("planVersionFile", "plans/:code/versions/:version/plan.json")
    static let terms = SiteRoute< >("terms", "terms")
    static let feed = SiteRoute< >("feed", "feed.atom")
    static let search = SiteRoute< >("search", "search", personal: true)
    static let openData = SiteRoute< >("openData", "data")
    static let openDataFile = SiteRoute<String>("openDataFile", "data/:file", personal: true)
    static let openDataPackage = SiteRoute< >("openDataPackage", "data/datapackage.json", personal: true)
    static let openDataCatalogue = SiteRoute< >("openDataCatalogue", "data/catalog.jsonld", personal: true)
    static let evidence = SiteRoute<UUID>("evidence", "evidence/:id", personal: true)

    // Signing in and one's own account.
    static let login = SiteRoute< >("login", "login", personal: true)
    static let logout = SiteRoute< >("logout", "logout", personal: true)
    static let work = SiteRoute< >("work", "work")
    static let notifications = SiteRoute< >("notifications", "notifications")
    static let notificationOpen = SiteRoute<UUID>("notificationOpen", "notifications/:id")
    static let notificationsRead = SiteRoute< >("notificationsRead", "notifications/read")
    static let accountNotifications = SiteRoute< >("accountNotifications", "account/notifications")
    static let account = SiteRoute< >("account", "account")
    static let accountTokens = SiteRoute< >("accountTokens", "account/tokens")
    static let accountTokenRevoke = SiteRoute<UUID>("accountTokenRevoke", "account/tokens/:id/revoke")

    // The secretariat's administration.
    static let admin = SiteRoute< >("admin", "admin")
    static let adminOrganisations = SiteRoute< >("adminOrganisations", "admin/organisations")
    static let adminOrganisation = SiteRoute<UUID>("adminOrganisation", "admin/organisations/:id")
    static let adminUsers = SiteRoute< >("adminUsers", "admin/users")
    static let adminUser = SiteRoute<UUID>("adminUser", "admin/users/:id")
    static let adminUserDeactivate = SiteRoute<UUID>("adminUserDeactivate", "admin/users/:id/deactivate")
    static let adminUserReactivate = SiteRoute<UUID>("adminUserReactivate", "admin/users/:id/reactivate")
    static let adminUserReset = SiteRoute<UUID>("adminUserReset", "admin/users/:id/reset-password")
    static let adminUserPassword = SiteRoute<UUID>("adminUserPassword", "admin/users/:id/password")
    static let adminPlans = SiteRoute< >("adminPlans", "admin/plans")
    static let adminHolidays = SiteRoute< >("adminHolidays", "admin/holidays")
    static let adminEmails = SiteRoute< >("adminEmails", "admin/emails")
    static let adminHolidayRemove = SiteRoute<UUID>("adminHolidayRemove", "admin/holidays/:id/remove")
    static let adminReminderDays = SiteRoute< >("adminReminderDays", "admin/holidays/reminders")
    static let adminRegions = SiteRoute< >("adminRegions", "admin/regions")
    static let adminSemesters = SiteRoute< >("adminSemesters", "admin/semesters")
    static let semesterWindow = SiteRoute<UUID>("semesterWindow", "admin/semesters/:id/window")
    static let semesterReopen = SiteRoute<UUID>("semesterReopen", "admin/semesters/:id/reopen")
    static let publication = SiteRoute<String, String>("publication", "admin/plans/:code/publish/:period")
    static let planArchive = SiteRoute<String>("planArchive", "admin/plans/:code/archive")

    // Reporting and verification.
    static let reportOwed = SiteRoute< >("reportOwed", "report")
    static let reportTarget = SiteRoute<UUID>("reportTarget", "report/targets/:id")
    static let verifyQueue = SiteRoute< >("verifyQueue", "verify")
    static let verifyReport = SiteRoute<UUID>("verifyReport", "verify/reports/:id")
    static let verifyClarify = SiteRoute<UUID>("verifyClarify", "verify/reports/:id/clarify")
    static let verifyScore = SiteRoute<UUID>("verifyScore", "verify/reports/:id/score")
    static let verifyComment = SiteRoute<UUID>("verifyComment", "verify/reports/:id/comment")
    static let verifyAssessments = SiteRoute<String, String>("verifyAssessments", "verify/plans/:code/:period")
    static let verifyAssess = SiteRoute<String, String, UUID>("verifyAssess", "verify/plans/:code/:period/:commitment")
    static let monitoring = SiteRoute<String, String>("monitoring", "monitor/plans/:code/:semester")
    static let monitorAssess = SiteRoute<String, String, Int>("monitorAssess", "monitor/plans/:code/:semester/:number")

    // Meetings and co-creation.
    static let meetings = SiteRoute< >("meetings", "meetings")
    static let meetingNew = SiteRoute< >("meetingNew", "meetings/new", personal: true)
    static let meeting = SiteRoute<UUID>("meeting", "meetings/:id")
    static let meetingPublish = SiteRoute<UUID>("meetingPublish", "meetings/:id/publish")
    static let meetingAttachment = SiteRoute<UUID>("meetingAttachment", "meetings/attachments/:id", personal: true)
    static let cocreation = SiteRoute< >("cocreation", "cocreation")
    static let cocreationPlans = SiteRoute< >("cocreationPlans", "cocreation/plans")
    static let cocreationPlan = SiteRoute<String>("cocreationPlan", "cocreation/plans/:code")
    static let cocreationPhases = SiteRoute<String>("cocreationPhases", "cocreation/plans/:code/phases")
    static let cocreationTimeline = SiteRoute<String>("cocreationTimeline", "cocreation/plans/:code/timeline")
    static let cocreationAdopt = SiteRoute<String>("cocreationAdopt", "cocreation/plans/:code/adopt")
    static let proposalNew = SiteRoute<String>("proposalNew", "cocreation/plans/:code/proposals/new")
    static let proposals = SiteRoute<String>("proposals", "cocreation/plans/:code/proposals")
    static let cocreationComments = SiteRoute<String>("cocreationComments", "cocreation/plans/:code/comments")
    static let commentModerate = SiteRoute<UUID>("commentModerate", "cocreation/comments/:id")
    static let proposal = SiteRoute<UUID>("proposal", "proposals/:id")
    static let proposalStages = SiteRoute<UUID>("proposalStages", "proposals/:id/stages")
    static let proposalEdit = SiteRoute<UUID>("proposalEdit", "proposals/:id/edit")
    static let planForum = SiteRoute<String>("planForum", "plans/:code/forum")
    static let planForumMember = SiteRoute<String, UUID>("planForumMember", "plans/:code/forum/:id/remove")
    static let proposalWithdraw = SiteRoute<UUID>("proposalWithdraw", "proposals/:id/withdraw")
    static let commitmentComment = SiteRoute<String, Int>("commitmentComment", "plans/:code/commitments/:number/comment")
    static let planFollow = SiteRoute<String>("planFollow", "plans/:code/follow")
    static let commitmentFollow = SiteRoute<String, Int>("commitmentFollow", "plans/:code/commitments/:number/follow")
    static let commitmentFeed = SiteRoute<String, Int>("commitmentFeed", "plans/:code/commitments/:number/feed.atom")
    static let followConfirm = SiteRoute<String>("followConfirm", "follow/:token/confirm", personal: true)
    static let followUnsubscribe = SiteRoute<String>("followUnsubscribe", "follow/:token/unsubscribe", personal: true)
    static let commitmentEdit = SiteRoute<String, Int>("commitmentEdit", "plans/:code/commitments/:number/edit")

    /// The JSON API, `/api/v1`, described by `Public/openapi.json`.
    enum API {
        static let openAPI = SiteRoute< >("api.openAPI", "api/v1/openapi.json")
        static let plans = SiteRoute< >("api.plans", "api/v1/plans")
        static let overview = SiteRoute< >("api.overview", "api/v1/overview")
        static let organisations = SiteRoute< >("api.organisations", "api/v1/organisations")
        static let plan = SiteRoute<String>("api.plan", "api/v1/plans/:code")
        static let commitment = SiteRoute<String, Int>("api.commitment", "api/v1/plans/:code/commitments/:number")
        static let owedTargets = SiteRoute< >("api.owedTargets", "api/v1/reporting/targets")
        static let targetReport = SiteRoute<UUID>("api.targetReport", "api/v1/reporting/targets/:id/report")
        static let targetEvidence = SiteRoute<UUID>("api.targetEvidence", "api/v1/reporting/targets/:id/report/evidence")
        static let targetSubmit = SiteRoute<UUID>("api.targetSubmit", "api/v1/reporting/targets/:id/report/submit")
        static let report = SiteRoute<UUID>("api.report", "api/v1/reports/:id")
        static let reportMessages = SiteRoute<UUID>("api.reportMessages", "api/v1/reports/:id/messages")
        static let reportClarification = SiteRoute<UUID>("api.reportClarification", "api/v1/reports/:id/clarification")
        static let reportScore = SiteRoute<UUID>("api.reportScore", "api/v1/reports/:id/score")
        static let verificationQueue = SiteRoute< >("api.verificationQueue", "api/v1/verification/reports")
        static let semesterWindow = SiteRoute<String, String>("api.semesterWindow", "api/v1/plans/:code/semesters/:semester/window")
        static let semesterAssessment = SiteRoute<String, String, Int>("api.semesterAssessment",
                                                                        "api/v1/plans/:code/semesters/:semester/assessments/:number")
        static let semesterPublicationCheck = SiteRoute<String, String>("api.semesterPublicationCheck",
                                                                         "api/v1/plans/:code/semesters/:semester/publication-check")
        static let semesterPublish = SiteRoute<String, String>("api.semesterPublish", "api/v1/plans/:code/semesters/:semester/publish")
        static let semesterResults = SiteRoute<String, String>("api.semesterResults", "api/v1/plans/:code/semesters/:semester/results")
        static let monitorAssessments = SiteRoute<String>("api.monitorAssessments", "api/v1/plans/:code/monitoring")
        static let monitorAssessment = SiteRoute<String, String, Int>("api.monitorAssessment",
                                                                       "api/v1/plans/:code/semesters/:semester/monitoring/:number")
        static let yearAssessment = SiteRoute<String, Int, Int>("api.yearAssessment", "api/v1/plans/:code/years/:year/assessments/:number")
        static let yearPublicationCheck = SiteRoute<String, Int>("api.yearPublicationCheck", "api/v1/plans/:code/years/:year/publication-check")
        static let yearPublish = SiteRoute<String, Int>("api.yearPublish", "api/v1/plans/:code/years/:year/publish")
        static let yearResults = SiteRoute<String, Int>("api.yearResults", "api/v1/plans/:code/years/:year/results")
        static let evaluation = SiteRoute<String>("api.evaluation", "api/v1/plans/:code/report")
        static let search = SiteRoute< >("api.search", "api/v1/search")
        static let dashboard = SiteRoute<String>("api.dashboard", "api/v1/plans/:code/dashboard")
        static let organisation = SiteRoute<UUID>("api.organisation", "api/v1/organisations/:id")
        static let meetings = SiteRoute< >("api.meetings", "api/v1/meetings")
        static let meeting = SiteRoute<UUID>("api.meeting", "api/v1/meetings/:id")
        static let planVersions = SiteRoute<String>("api.planVersions", "api/v1/plans/:code/versions")
        static let planVersion = SiteRoute<String, Int>("api.planVersion", "api/v1/plans/:code/versions/:version")
        static let commitmentComments = SiteRoute<String, Int>("api.commitmentComments", "api/v1/plans/:code/commitments/:number/comments")
    }

    /// Is `path` an address of the JSON API?
    static func isAPI(_ path: String) -> Bool { path.hasPrefix("/api/") }
}
