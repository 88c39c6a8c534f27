import Fluent
import Foundation
import PantauDomain
import Vapor

/// Publishing a semester or a year is a checked step: the secretariat sees what is incomplete, confirms, and gives
/// a reason when anything is; the reason is kept with the results.
struct PublicationController {
    func page(req: Request) async throws -> Response {
        try await render(req, reason: "", error: nil, status: .ok)
    }

    func publish(req: Request) async throws -> Response {
        let form = try req.decodeForm(PublishForm.self)
        let (code, period) = try VerifyController.period(req)
        let reason = form.reason ?? ""
        guard form.confirm == "on" else {
            return try await render(req, reason: reason, error: req.t("publication.confirm_required"), status: .unprocessableEntity)
        }
        do {
            try await ResultsService.publish(planCode: code, period: period, reason: reason, by: try req.requireUser(),
                                             now: req.now, today: req.today, on: req.db)
        } catch PublicationCheck.Problem.reasonRequired {
            return try await render(req, reason: reason, error: req.t(PublicationCheck.Problem.reasonRequired.rawValue),
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.publication.path(code, period.description), notice: "publication.published", period.description)
    }

    private func render(_ req: Request, reason: String, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let (code, period) = try VerifyController.period(req)
        let (results, check) = try await ResultsService.check(planCode: code, period: period, today: req.today, on: req.db)
        let view = try await req.view.render("publication", Page(
            page: PageMeta(request: req, title: req.t("publication.title", period.description)), planCode: code, planTitle: results.plan.title,
            period: period.description, isYear: period.isYear, isPublished: results.isPublished,
            publishedAt: results.publication.map { Formatting.jakartaTime($0.at) } ?? "", publishedBy: results.publication?.by ?? "",
            publicationReason: results.publication?.reason.ifAny, check: API.PublicationCheckDTO(check, results: results),
            partialCount: check.partialCommitments.count,
            unpublishedSemesters: check.unpublishedSemesters.joined(separator: ", ").ifAny,
            assessmentsPath: SiteURL.verifyAssessments.path(code, period.description), reason: reason, error: error))
        let response = try await view.encodeResponse(for: req)
        response.status = status
        return response
    }
}
