import Fluent
import Foundation
import PantauDomain
import Vapor

/// "Pekerjaan saya": where everyone lands after signing in, with what waits for them and a link to where it is done.
struct WorkController {
    func page(req: Request) async throws -> View {
        let user = try req.requireUser()
        var work = WorkQueries.ImplementerWork()
        var semesters: [WorkQueries.SemesterItem] = []
        let pageNumber = try PageLinks.requestedPage(req)
        let reports = user.caller.mayEver(.report)
        if reports {
            work = try await WorkQueries.implementer(organisationID: try user.organisationID.orThrow(AppError.forbidden), language: req.language, on: req.db,
                                                     today: req.today)
        } else {
            semesters = try await WorkQueries.staff(on: req.db, today: req.today).filter { user.caller.may(.readUnpublished, plan: $0.planID) }
        }
        // Fifty semesters to a page: the national secretariat follows every region's plan.
        let pages = PageLinks(page: pageNumber, total: semesters.count, size: Self.semestersPerPage, request: req)
        let monitored = try await Self.monitoredPlans(user.caller, request: req)
        let nothing = work.owed.isEmpty && work.clarifications.isEmpty && work.late.isEmpty && semesters.isEmpty && monitored.isEmpty
        return try await req.view.render("work", WorkPage(
            page: PageMeta(request: req, title: req.t("work.title")), isImplementer: reports,
            owed: work.owed, clarifications: work.clarifications, late: work.late,
            semesters: Array(semesters.dropFirst((pageNumber - 1) * Self.semestersPerPage).prefix(Self.semestersPerPage)), pages: pages,
            hasOwed: !work.owed.isEmpty, hasClarifications: !work.clarifications.isEmpty, hasLate: !work.late.isEmpty,
            hasSemesters: !semesters.isEmpty, monitored: monitored, hasMonitored: !monitored.isEmpty, nothingToDo: nothing))
    }

    static let semestersPerPage = 50

    /// For an independent monitor: each adopted, open plan it monitors with the semesters begun, latest first.
    static func monitoredPlans(_ caller: Caller, request: Request) async throws -> [MonitoredPlan] {
        guard caller.mayEver(.assessIndependently) else { return [] }
        let plans = try await ActionPlanModel.query(on: request.db).filter(\.$status == .adopted).filter(\.$archivedAt == nil)
            .sort(\.$code).all()
            .filter { caller.may(.assessIndependently, plan: $0.id!) }
        try await plans.loadChildren(\.$semesters, on: request.db)
        let today = request.today.iso
        return plans.map { plan in
            MonitoredPlan(code: plan.code, title: plan.title, semesters: plan.semesters.filter { $0.startDate <= today }
                .sorted { $0.month > $1.month }
                .map { MonitoredPlan.Semester(code: $0.code, path: SiteURL.monitoring.path(plan.code, $0.code)) })
        }
    }
}
