import Fluent
import Foundation
import PantauDomain
import Vapor

extension DashboardController {
    struct Cell: Content {
        let text: String
        let category: String
        /// For a published commitment result: "3 dari 5 target dinilai", what the score rests on.
        var coverage: String? = nil
    }

    struct GridRow: Content {
        let number: Int
        let title: String
        let cells: [Cell]
    }

    struct SemesterProgress: Content {
        let code: String
        let published: Bool
        let scoredTargets: Int
        let targets: Int
    }

    struct DashboardPage: Encodable {
        let page: PageMeta
        let planCode: String
        let planTitle: String
        let status: PlanProgress
        let semesters: [SemesterProgress]
        let rows: [GridRow]
        let legend: [Cell]
        let filters: CommitmentFilter.Form
    }

    struct ScorecardRow: Content {
        let planCode: String
        let semester: String
        let commitment: Int
        let measure: String
        let target: String
        let score: String
        let category: String
        let categoryLabel: String
    }

    struct ScorecardPage: Encodable {
        let page: PageMeta
        let name: String
        /// Nil when the organisation has none.
        let acronym: String?
        let kindKey: String
        let rows: [ScorecardRow]
        let summary: [EvaluationDocument.Row]
        let chart: String
        let hasRows: Bool
    }

    /// The dashboard's data, for the page and the API alike.
    struct DashboardData: Content {
        let planCode: String
        let planTitle: String
        let semesters: [SemesterProgress]
        let rows: [GridRow]
        let legend: [Cell]
    }

    struct ScorecardData: Content {
        let id: String
        let name: String
        let acronym: String
        let kind: String
        let summary: [EvaluationDocument.Row]
        let rows: [ScorecardRow]
    }
}
