import Foundation

/// Who may do what: SPEC.md "Who uses it" as one table (`Permissions.table`) that every route and service asks,
/// through `Caller.may`. What is public (published plans, results, minutes, open data, comments during a
/// consultation) needs no entry: anyone may read it.
public enum Action: String, CaseIterable, Codable, Sendable {
    /// Read what is not public yet: reports being written and verified, unpublished results and minutes, comments
    /// awaiting moderation, the verification queue.
    case readUnpublished
    /// Write a note on a report in verification.
    case commentOnReports
    /// Report on targets: write, add evidence, submit, answer a clarification request.
    case report
    /// Record a co-creation meeting and its minutes.
    case recordMeeting
    /// Propose a commitment while a call for proposals is open.
    case propose
    /// Ask for clarification, score, rate co-creation.
    case verify
    /// Open and close reporting windows; reopen a report.
    case manageWindows
    /// Publish a semester or a year, a meeting's minutes; write the evaluation's notes.
    case publish
    /// Create and change plans: import a plan file, edit commitments, run co-creation (phases, proposal stages, adoption).
    case editPlans
    /// Approve or reject comments of a public consultation.
    case moderate
    /// Manage organisations and accounts.
    case manageAccounts
    /// Keep the working-day calendar: national holidays and collective leave, which every deadline counts around.
    case manageCalendar
    /// Write and publish an independent assessment of a commitment in a semester, beside (never changing) the
    /// secretariat's score.
    case assessIndependently

    /// Whether the action changes something: refused on an archived plan, which stays as it is.
    public var changesThings: Bool { self != .readUnpublished }
}

/// What must hold between the caller and the thing acted on for a role to do an action.
public enum Requirement: String, Sendable, Equatable {
    /// Not for this role.
    case never
    /// Within a plan the caller is given (a secretariat or reviewer given every plan holds them all).
    case ownPlan
    /// For the caller's own organisation only.
    case ownOrganisation
    /// Only for an account given every plan (the national secretariat): accounts and organisations serve every plan.
    case allPlans
}

/// The plans an account acts on.
public enum PlanScope: Sendable, Equatable {
    case all
    case only(Set<UUID>)

    public func contains(_ plan: UUID) -> Bool {
        switch self {
        case .all: true
        case .only(let plans): plans.contains(plan)
        }
    }
}

public enum Permissions {
    /// SPEC.md "Who uses it": the secretariat manages and verifies, the joint secretariat's reviewers read and comment,
    /// an implementer reports for its own organisation, an independent monitor reads and comments like a
    /// reviewer and publishes its own assessments. Any pair not listed is `.never`.
    public static let table: [UserRole: [Action: Requirement]] = [
        .secretariat: [
            .readUnpublished: .ownPlan, .commentOnReports: .ownPlan, .recordMeeting: .ownPlan, .verify: .ownPlan,
            .manageWindows: .ownPlan, .publish: .ownPlan, .editPlans: .ownPlan, .moderate: .ownPlan, .manageAccounts: .allPlans,
            .manageCalendar: .allPlans,
        ],
        .reviewer: [
            .readUnpublished: .ownPlan, .commentOnReports: .ownPlan,
        ],
        .monitor: [
            .readUnpublished: .ownPlan, .commentOnReports: .ownPlan, .assessIndependently: .ownPlan,
        ],
        .implementer: [
            .report: .ownOrganisation, .recordMeeting: .ownOrganisation, .propose: .ownOrganisation,
        ],
    ]

    public static func requirement(_ role: UserRole, _ action: Action) -> Requirement {
        table[role]?[action] ?? .never
    }
}

/// A signed-in account as permission checks see it.
public struct Caller: Sendable, Equatable {
    public let role: UserRole
    public let organisationID: UUID?
    public let plans: PlanScope

    public init(role: UserRole, organisationID: UUID?, plans: PlanScope) {
        self.role = role
        self.organisationID = organisationID
        self.plans = plans
    }

    /// May the caller do this at all, for some plan or organisation: what a route checks before it reads anything.
    public func mayEver(_ action: Action) -> Bool {
        switch Permissions.requirement(role, action) {
        case .never: false
        case .ownPlan: plans != .only([])
        case .ownOrganisation: organisationID != nil
        case .allPlans: plans == .all
        }
    }

    /// May the caller do this within this plan?
    public func may(_ action: Action, plan: UUID) -> Bool {
        switch Permissions.requirement(role, action) {
        case .ownPlan: plans.contains(plan)
        case .allPlans: plans == .all
        case .never, .ownOrganisation: false
        }
    }

    /// May the caller do this within `plan`, or, for something of no plan, at all?
    public func may(_ action: Action, inPlan plan: UUID?) -> Bool {
        plan.map { may(action, plan: $0) } ?? mayEver(action)
    }

    /// May the caller do this for this organisation (the one a report, a meeting or a proposal belongs to)?
    public func may(_ action: Action, organisation: UUID?) -> Bool {
        guard let organisation else { return false }
        return Permissions.requirement(role, action) == .ownOrganisation && organisationID == organisation
    }

    /// May the caller do this for the thing of `organisation` in `plan`: as one given the plan, or as its organisation.
    public func may(_ action: Action, plan: UUID, organisation: UUID?) -> Bool {
        may(action, plan: plan) || may(action, organisation: organisation)
    }
}

extension Optional where Wrapped == Caller {
    /// A visitor (nil) may do none of the actions.
    public func may(_ action: Action, inPlan plan: UUID?) -> Bool { self?.may(action, inPlan: plan) ?? false }
    public func mayEver(_ action: Action) -> Bool { self?.mayEver(action) ?? false }
}
