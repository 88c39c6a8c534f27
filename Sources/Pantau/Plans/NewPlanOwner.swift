import Fluent
import Foundation
import PantauDomain

/// Where a plan made through the pages belongs: a secretariat given every plan (the national one) makes national
/// plans; one given some plans makes plans of its own jurisdiction and is given them, so it can go on with its work.
struct NewPlanOwner {
    let jurisdictionID: UUID?
    /// The account to give the plan to; nil for an account that holds every plan.
    let account: UUID?

    static func of(_ user: CurrentUser, on database: any Database) async throws -> NewPlanOwner {
        guard case .only(let plans) = user.plans else { return NewPlanOwner(jurisdictionID: nil, account: nil) }
        // The jurisdiction of the account's plans (the first by code, should it hold plans of several).
        let jurisdiction = try await ActionPlanModel.query(on: database).filter(\.$id ~~ Array(plans)).sort(\.$code).first()?.$jurisdiction.id
        return NewPlanOwner(jurisdictionID: jurisdiction, account: user.id)
    }

    /// Gives `plan` to `account`, unless it has it already (a replaced draft).
    static func grant(_ plan: UUID, to account: UUID, on db: any Database) async throws {
        guard try await PlanGrantModel.query(on: db).filter(\.$user.$id == account).filter(\.$plan.$id == plan).count() == 0 else { return }
        try await PlanGrantModel(userID: account, planID: plan).create(on: db)
    }
}
