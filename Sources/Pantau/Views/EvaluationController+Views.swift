import Fluent
import Foundation
import PantauDomain
import Vapor

extension EvaluationController {
    struct ReportPage: Encodable {
        let page: PageMeta
        let report: EvaluationDocument
        let periodQuery: String
        let canEdit: Bool
        let periods: [PeriodLink]
        /// What the notes form holds: the stored notes, or what was typed when they were refused.
        let notes: NotesForm
        let errors: FormErrors
    }

    struct PeriodLink: Encodable {
        let label: String
        let query: String

        /// Every semester of the plan and every calendar year its semesters end in.
        static func all(for semesters: [PlanSemesterModel]) -> [PeriodLink] {
            let sorted = semesters.sorted { $0.month < $1.month }
            let years = Array(Set(sorted.map { String($0.endDate.prefix(4)) })).sorted()
            return sorted.map { PeriodLink(label: $0.code, query: "period=\($0.code)") } + years.map { PeriodLink(label: $0, query: "year=\($0)") }
        }
    }
}
