import Fluent
import Foundation
import PantauDomain
import Vapor

extension PublicationController {
    struct Page: Encodable {
        let page: PageMeta
        let planCode: String
        let planTitle: String
        let period: String
        let isYear: Bool
        let isPublished: Bool
        let publishedAt: String
        let publishedBy: String
        let publicationReason: String?
        /// The same check the API gives (`GET …/publication-check`).
        let check: API.PublicationCheckDTO
        let partialCount: Int
        let unpublishedSemesters: String?
        let assessmentsPath: String
        let reason: String
        let error: String?
    }
}
