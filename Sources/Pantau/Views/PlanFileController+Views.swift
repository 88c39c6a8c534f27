import Fluent
import Foundation
import PantauDomain
import Vapor

extension PlanFileController {
    struct PlanRow: Encodable {
        let code: String
        let title: String
        let status: String
    }

    struct PlansAdminPage: Encodable {
        let page: PageMeta
        let plans: [PlanRow]
        let message: String?
        let problems: [String]
    }
}
