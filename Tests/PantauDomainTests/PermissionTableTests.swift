import Foundation
import PantauDomain
import Testing

/// The permission table against SPEC.md "Who uses it", written out here on its own (not read from the table), so that
/// a change to who may do what fails a test until both agree.
@Suite("Who may do what")
struct PermissionTableTests {
    /// SPEC.md: the secretariat manages plans, organisations and accounts, opens and closes windows, verifies, returns,
    /// scores, rates co-creation and publishes (within the plans it is given); a reviewer reads everything, including
    /// unpublished work, and comments, changing nothing; an implementer reports, answers and records meetings for its
    /// own organisation only, and (as a CSO) proposes. Accounts and organisations serve every plan, so only a
    /// secretariat given every plan (the national one) manages them. Issue 15: an independent monitor reads everything
    /// of its plans, comments, and publishes its own assessment per commitment per semester. Issue 16: the working-day
    /// calendar (holidays, collective leave) is national, kept by the national secretariat.
    static let spec: [UserRole: [Action: Requirement]] = [
        .secretariat: Dictionary(uniqueKeysWithValues: [Action.readUnpublished, .commentOnReports, .recordMeeting, .verify, .manageWindows,
                                                        .publish, .editPlans, .moderate].map { ($0, Requirement.ownPlan) })
            .merging([.manageAccounts: .allPlans, .manageCalendar: .allPlans]) { $1 },
        .reviewer: [.readUnpublished: .ownPlan, .commentOnReports: .ownPlan],
        .implementer: [.report: .ownOrganisation, .recordMeeting: .ownOrganisation, .propose: .ownOrganisation],
        .monitor: [.readUnpublished: .ownPlan, .commentOnReports: .ownPlan, .assessIndependently: .ownPlan],
    ]

    @Test func everyRoleAndActionIsAsSPECSays() {
        for role in UserRole.allCases {
            for action in Action.allCases {
                let expected = Self.spec[role]?[action] ?? .never
                #expect(Permissions.requirement(role, action) == expected, "\(role) \(action)")
            }
        }
    }

    @Test func aPlanActionNeedsThePlan() {
        let (p, q) = (UUID(), UUID())
        let ofP = Caller(role: .secretariat, organisationID: nil, plans: .only([p]))
        #expect(ofP.may(.publish, plan: p))
        #expect(!ofP.may(.publish, plan: q))
        #expect(ofP.mayEver(.publish))
        let national = Caller(role: .secretariat, organisationID: nil, plans: .all)
        #expect(national.may(.publish, plan: q))
        let noPlans = Caller(role: .secretariat, organisationID: nil, plans: .only([]))
        #expect(!noPlans.mayEver(.publish))
        // Accounts only for the national secretariat, however many plans another holds.
        #expect(national.mayEver(.manageAccounts))
        #expect(!ofP.mayEver(.manageAccounts))
        #expect(!ofP.may(.manageAccounts, plan: p))
        let reviewer = Caller(role: .reviewer, organisationID: nil, plans: .only([p]))
        #expect(reviewer.may(.readUnpublished, plan: p))
        #expect(!reviewer.may(.readUnpublished, plan: q))
        #expect(!reviewer.may(.verify, plan: p))
    }

    @Test func anOrganisationActionNeedsTheOrganisation() {
        let (a, b) = (UUID(), UUID())
        let implementer = Caller(role: .implementer, organisationID: a, plans: .all)
        #expect(implementer.may(.report, organisation: a))
        #expect(!implementer.may(.report, organisation: b))
        #expect(!implementer.may(.report, organisation: nil))
        // Given every plan does not make an implementer staff.
        #expect(!implementer.may(.readUnpublished, plan: UUID()))
        #expect(!Caller(role: .implementer, organisationID: nil, plans: .all).mayEver(.report))
        // A secretariat does not report for an organisation, whatever its plans.
        #expect(!Caller(role: .secretariat, organisationID: a, plans: .all).may(.report, organisation: a))
        let visitor: Caller? = nil
        #expect(!visitor.mayEver(.readUnpublished))
        #expect(!visitor.may(.readUnpublished, inPlan: nil))
    }
}
