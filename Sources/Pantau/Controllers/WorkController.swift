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
        let reports = user.caller.mayEver(.report)
        if reports {
            work = try await WorkQueries.implementer(organisationID: try user.organisationID.orThrow(AppError.forbidden), on: req.db,
                                                     today: req.today)
        } else {
            semesters = try await WorkQueries.staff(on: req.db, today: req.today)
        }
        let nothing = work.owed.isEmpty && work.clarifications.isEmpty && work.late.isEmpty && semesters.isEmpty
        return try await req.view.render("work", WorkPage(
            page: PageMeta(request: req, title: req.t("work.title")), isImplementer: reports,
            owed: work.owed, clarifications: work.clarifications, late: work.late, semesters: semesters,
            hasOwed: !work.owed.isEmpty, hasClarifications: !work.clarifications.isEmpty, hasLate: !work.late.isEmpty,
            hasSemesters: !semesters.isEmpty, nothingToDo: nothing))
    }
}
