import Fluent
import Foundation
import PantauDomain
import Vapor

/// The co-creation phases open today, for the banner on the home and plan pages: a draft plan's phases that have
/// started and not ended on its timeline, and its call for proposals or consultation while their switch is open.
enum OpenPhases {
    struct Notice: Encodable {
        let planCode: String
        /// "The public consultation on <plan> is open until 30 June 2025", in the page's language.
        let text: String
        let url: String
    }

    static func notices(planID: UUID? = nil, request req: Request) async throws -> [Notice] {
        var query = CoCreationPhaseModel.query(on: req.db).with(\.$plan)
        if let planID { query = query.filter(\.$plan.$id == planID) }
        let today = req.today
        return try await query.all().filter { $0.plan.status == .draft && $0.plan.archivedAt == nil }
            .sorted { $0.plan.code < $1.plan.code }
            .flatMap { phases -> [Notice] in
                let timeline = phases.timeline
                let open = phases.openPhases(on: today)
                return open.map { phase in
                    let name = req.t("cocreation.phase." + phase.rawValue)
                    let text = timeline[phase].plannedEnd.map { req.t("cocreation.banner_until", name, phases.plan.title, Formatting.day($0, req.language)) }
                        ?? req.t("cocreation.banner", name, phases.plan.title)
                    return Notice(planCode: phases.plan.code, text: text, url: SiteURL.cocreationPlan.path(phases.plan.code) + "#phase-" + phase.rawValue)
                }
            }
    }
}

extension CoCreationPhaseModel {
    /// The phases open on `day`: the call and the consultation while their switch is open (closed today is closed),
    /// the others from the first to the last day the timeline records.
    func openPhases(on day: CalendarDay) -> [CoCreationPhase] {
        CoCreationPhase.allCases.filter { phase in
            switch phase {
            case .callForProposals: proposalsOpen
            case .consultation: consultationOpen
            default: timeline[phase].isOpen(on: day)
            }
        }
    }
}
