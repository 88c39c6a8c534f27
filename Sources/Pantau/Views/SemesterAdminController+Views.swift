import Fluent
import Foundation
import PantauDomain
import Vapor

extension SemesterAdminController {
    struct SemesterRow: Encodable {
        let id: String
        let planCode: String
        let planTitle: String
        let code: String
        let endDate: String
        let reportOpens: String
        let reportCloses: String
        let verifyOpens: String
        let verifyCloses: String
        let hasWindow: Bool
        let isPublished: Bool
        let extensions: [String]
        let hasExtensions: Bool
        let publishPath: String
        /// Why the window typed into this semester's form was refused; the form is open with what was typed.
        let windowError: String?
        /// Why the reopening typed into this semester's form was refused.
        let reopenError: String?
        let reopenOrganisation: SelectField
        let reopenUntil: String
        let reopenReason: String
    }

    struct YearRow: Encodable {
        let planCode: String
        let year: String
        let isPublished: Bool
        let assessmentsPath: String
        let publishPath: String
    }

    struct SemestersPage: Encodable {
        let page: PageMeta
        let semesters: [SemesterRow]
        let years: [YearRow]
        let plans: SelectField
        let pages: PageLinks
    }
}
