import Fluent
import Foundation
import PantauDomain
import Vapor

extension API {
    /// An independent monitor's assessment of a commitment in a semester.
    struct MonitorAssessmentDTO: Content, Equatable {
        let id: String
        let planCode: String
        let commitmentNumber: Int
        let semester: String
        let rating: CompletionRating
        let text: String
        let state: MonitorAssessmentState
        /// ISO 8601 (UTC).
        let publishedAt: String?
        let updatedAt: String?
        let author: String

        init(_ entry: MonitoringService.Entry) {
            id = entry.id.uuidString
            planCode = entry.planCode
            commitmentNumber = entry.commitmentNumber
            semester = entry.semester
            rating = entry.rating
            text = entry.text
            state = entry.state
            publishedAt = entry.publishedAt.map { ISO8601DateFormatter().string(from: $0) }
            updatedAt = entry.updatedAt.map { ISO8601DateFormatter().string(from: $0) }
            author = entry.authorName
        }
    }

    struct MonitorAssessmentsDTO: Content, Equatable {
        let planCode: String
        let assessments: [MonitorAssessmentDTO]
    }

    struct MonitoringController {
        struct AssessmentInput: Content {
            var rating: String?
            var text: String?
            /// Publish now (true) or keep as a draft (false, the default).
            var publish: Bool?
        }

        /// A plan's published assessments; its monitors also get their drafts.
        func index(req: Request) async throws -> MonitorAssessmentsDTO {
            let plan = try await ActionPlanModel.require(code: try req.parameters.require("code"), on: req.db)
            let planID = try plan.requireID()
            let entries = try await MonitoringService.entries(planID: planID, withDrafts: req.may(.assessIndependently, plan: planID), on: req.db)
            return MonitorAssessmentsDTO(planCode: plan.code, assessments: entries.map(MonitorAssessmentDTO.init))
        }

        func save(req: Request) async throws -> MonitorAssessmentDTO {
            let input = try req.decodeForm(AssessmentInput.self)
            let entry = try await MonitoringService.save(
                planCode: try req.parameters.require("code"), semester: try req.parameters.require("semester"),
                commitmentNumber: try req.parameters.require("number", as: Int.self), rating: input.rating, text: input.text,
                publish: input.publish ?? false, by: try req.requireUser(), now: req.now, today: req.today, on: req.db)
            return MonitorAssessmentDTO(entry)
        }
    }
}
