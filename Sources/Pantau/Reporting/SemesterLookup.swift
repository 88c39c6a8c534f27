import Fluent
import Vapor

extension PlanSemesterModel {
    /// A plan's semester by the plan's code and the semester's code, with its plan loaded.
    static func find(planCode: String, semesterCode: String, on database: any Database) async throws -> PlanSemesterModel {
        guard let plan = try await ActionPlanModel.query(on: database).filter(\.$code == planCode).first() else {
            throw AppError.planNotFound(code: planCode)
        }
        guard let semester = try await PlanSemesterModel.query(on: database).filter(\.$plan.$id == plan.requireID())
            .filter(\.$code == semesterCode).with(\.$plan).first() else { throw AppError.notFound(what: "semester") }
        return semester
    }

    /// The semester named by a request's `:code` and `:semester` parameters.
    static func find(_ request: Request) async throws -> PlanSemesterModel {
        try await find(planCode: try request.parameters.require("code"), semesterCode: try request.parameters.require("semester"), on: request.db)
    }
}
