import Fluent
import Foundation
import PantauDomain
import Vapor

extension API {
    struct PlanVersionDTO: Content {
        /// Stable: the same as `version_id` in the open data.
        let id: String
        let number: Int
        /// ISO 8601, UTC.
        let recordedAt: String
        let actor: String
        let reason: String
        /// The whole plan as of this version, in the plan file format.
        let planURL: String
    }

    struct FieldChangeDTO: Content {
        let field: String
        let goal: Int?
        let measure: Int?
        let semester: String?
        let before: String?
        let after: String?
    }

    struct CommitmentChangeDTO: Content {
        let number: Int
        let title: String
        let kind: String
        let changes: [FieldChangeDTO]
    }

    struct PlanVersionChangesDTO: Content {
        let version: PlanVersionDTO
        /// What changed against the version before (against nothing for version 1).
        let commitments: [CommitmentChangeDTO]
    }

    struct ConsultationCommentDTO: Content {
        /// Stable: the same as `comment_id` in the open data and the comment's anchor on the commitment page.
        let id: String
        let author: String
        let organisation: String
        let body: String
        /// ISO 8601, UTC.
        let submittedAt: String
        let response: CommentResponse?
        let responseText: String
    }

    /// The co-creation record the public pages show: versions of adopted plans and consultation comments.
    struct CoCreationController {
        func versions(req: Request) async throws -> [PlanVersionDTO] {
            let plan = try await ActionPlanModel.require(code: try req.parameters.require("code"), on: req.db)
            return try await PlanVersionModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).sort(\.$number).all()
                .map { Self.dto($0, planCode: plan.code) }
        }

        func version(req: Request) async throws -> PlanVersionChangesDTO {
            let plan = try await ActionPlanModel.require(code: try req.parameters.require("code"), on: req.db)
            guard let number = Int(try req.parameters.require("version")),
                  let (version, changes) = try await DraftPlanService.versionChanges(planID: plan.requireID(), number: number, on: req.db)
            else { throw AppError.notFound(what: "version") }
            return PlanVersionChangesDTO(version: Self.dto(version, planCode: plan.code), commitments: changes.map { change in
                CommitmentChangeDTO(number: change.number, title: change.title, kind: change.kind.rawValue, changes: change.changes.map {
                    FieldChangeDTO(field: $0.location.field, goal: $0.location.goal, measure: $0.location.measure, semester: $0.location.semester,
                                   before: $0.before, after: $0.after)
                })
            })
        }

        /// Published comments of a commitment's consultation, oldest first, with how each was taken into account.
        func comments(req: Request) async throws -> [ConsultationCommentDTO] {
            let code: String = try req.parameters.require("code")
            let plan = try await ActionPlanModel.require(code: code, on: req.db)
            let raw: String = try req.parameters.require("number")
            guard let number = Int(raw),
                  let commitment = try await CommitmentModel.query(on: req.db).filter(\.$plan.$id == plan.requireID()).filter(\.$number == number).first()
            else { throw AppError.commitmentNotFound(plan: code, number: raw) }
            return try await ConsultationCommentModel.query(on: req.db).filter(\.$commitment.$id == commitment.requireID())
                .filter(\.$status == .published).sort(\.$createdAt).all().map {
                    ConsultationCommentDTO(id: $0.id?.uuidString ?? "", author: $0.authorName, organisation: $0.authorOrganisation, body: $0.body,
                                           submittedAt: Self.iso($0.createdAt), response: $0.response,
                                           responseText: $0.responseText)
                }
        }

        private static func iso(_ date: Date?) -> String {
            ISO8601DateFormatter().string(from: date ?? Date(timeIntervalSince1970: 0))
        }

        private static func dto(_ version: PlanVersionModel, planCode: String) -> PlanVersionDTO {
            PlanVersionDTO(id: version.id?.uuidString ?? "", number: version.number, recordedAt: iso(version.createdAt), actor: version.actorName,
                           reason: version.reason, planURL: SiteURL.planVersionFile.path(planCode, version.number))
        }
    }
}
