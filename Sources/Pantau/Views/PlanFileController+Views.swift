import Fluent
import Foundation
import PantauDomain
import Vapor

extension PlanFileController {
    struct PlanRow: Encodable {
        let code: String
        let title: String
        let status: String
        /// An adopted plan the caller holds, not yet archived.
        let canArchive: Bool
    }

    struct ArchiveForm: Content {
        var reason: String?
    }

    struct ArchivePage: Encodable {
        let page: PageMeta
        let code: String
        let title: String
        let form: ArchiveForm
        let errors: FormErrors
    }

    struct PlansAdminPage: Encodable {
        let page: PageMeta
        let plans: [PlanRow]
        let message: String?
        let problems: [String]
        let pages: PageLinks
    }
}
