import Fluent
import Vapor

extension API {
    /// The read API for plans and commitments: public, no account needed.
    struct PlanController {
        func index(req: Request) async throws -> [PlanSummaryDTO] {
            try await PlanQueries.summaries(on: req.db)
        }

        func show(req: Request) async throws -> PlanDetailDTO {
            var detail = try await PlanQueries.detail(code: try req.parameters.require("code"), on: req.db)
            let plan = try await ActionPlanModel.query(on: req.db).filter(\.$code == detail.code).with(\.$semesters).first()
            if let plan, let requirements = try await PlanRequirements.load(plans: [plan], today: req.today, on: req.db)[plan.requireID()] {
                detail.minimumRequirements = MinimumRequirementsDTO(requirements)
            }
            return detail
        }

        func commitment(req: Request) async throws -> CommitmentDetailDTO {
            let code: String = try req.parameters.require("code")
            let raw: String = try req.parameters.require("number")
            guard let number = Int(raw) else { throw AppError.commitmentNotFound(plan: code, number: raw) }
            return try await PlanQueries.commitment(planCode: code, number: number, on: req.db)
        }

        /// The OpenAPI document kept in the repository, served as it is unless the operator set another licence for
        /// the data (`PANTAU_DATA_LICENCE`), which then replaces the document's.
        func openAPIDocument(req: Request) async throws -> Response {
            let path = req.application.directory.resourcesDirectory + "OpenAPI/openapi.json"
            let licence = req.application.dataLicence
            guard licence != .ccBy4 else {
                let response = try await req.fileio.asyncStreamFile(at: path)
                response.headers.contentType = .json
                return response
            }
            var buffer = try await req.fileio.collectFile(at: path).get()
            guard var document = try JSONSerialization.jsonObject(with: buffer.readData(length: buffer.readableBytes) ?? Data()) as? [String: Any],
                  var info = document["info"] as? [String: Any] else { throw AppError.http(.internalServerError) }
            info["license"] = ["name": licence.id, "url": licence.url]
            document["info"] = info
            let response = Response(status: .ok, body: .init(data: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])))
            response.headers.contentType = .json
            return response
        }
    }
}
