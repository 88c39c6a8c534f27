import Fluent
import Foundation
import PantauDomain
import Vapor

extension ReportController {
    struct OwedTarget: Encodable {
        let targetID: String
        let planCode: String
        let commitmentNumber: Int
        let measure: String
        let target: String
        let semester: String
        let statusKey: String
        let closes: String
    }

    struct OwedPage: Encodable {
        let page: PageMeta
        let targets: [OwedTarget]
        let hasTargets: Bool
    }

    struct ReportPage: Encodable {
        let page: PageMeta
        let report: ReportQueries.ReportView
        /// What the form's fields hold: the stored report, or what was just typed when it could not be saved.
        let form: FormValues
        /// Messages beside their fields (`achievement`, `progress`, `answer`, `evidence`), and `form` for the whole form.
        let errors: FormErrors
        let hasErrors: Bool
        /// Why the report cannot be written now (window not open or closed, semester published), said before anyone types.
        let closedReason: String?
        let history: [HistoryView]
    }

    struct FormValues: Encodable {
        var achievement: String
        var progress: String
        var answer: String
        var link: String
        var description: String
        var isPublic: Bool
    }
}
