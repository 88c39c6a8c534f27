import Fluent
import Foundation
import PantauDomain
import Vapor

extension VerifyController {
    struct QueuePage: Encodable {
        let page: PageMeta
        let reports: [ReportQueries.ReportView]
        let hasReports: Bool
        let plans: SelectField
        let semesters: SelectField
        let statuses: SelectField
        let organisations: SelectField
        let pages: PageLinks
    }

    struct ReportPage: Encodable {
        let page: PageMeta
        let report: ReportQueries.ReportView
        let canScore: Bool
        /// The semester is published: a score is a correction and takes a reason.
        let isPublished: Bool
        let history: [HistoryView]
        /// What the three forms hold: nothing yet, or what was typed into the one that could not be saved.
        let typed: TypedValues
        /// Messages beside `score`, `reason`, `correctionReason`, `clarify` and `note`.
        let errors: FormErrors
    }

    /// What the secretariat typed into the report page's forms, as it was sent.
    struct TypedValues: Content {
        var score: String?
        var notApplicable: String?
        var reason: String?
        var correctionReason: String?
        var body: String?
    }

    struct AssessmentRow: Encodable {
        let commitmentID: String
        let number: Int
        let title: String
        let defaultScore: String
        let scoreOverride: String
        let overrideReason: String
        let finalScore: String
        let categoryLabel: String
        let rating: String
        let ratingLabel: String
        let ratingField: SelectField
        let justification: String
        let correctionReason: String
        /// Why what was typed into this commitment's form was refused.
        let error: String?
        let scoredTargets: Int
        let reportedTargets: Int
        let targets: Int
        let corrections: [CorrectionView]
        let hasCorrections: Bool
        let correctionCount: Int
    }

    /// What the secretariat typed into a commitment's assessment form, as it was sent.
    struct TypedAssessment: Content {
        var scoreOverride: String?
        var overrideReason: String?
        var rating: String?
        var justification: String?
        var correctionReason: String?
    }

    /// A commitment's assessment form that could not be saved.
    struct RefusedAssessment {
        let commitmentID: UUID
        let typed: TypedAssessment
        let message: String
        let status: HTTPResponseStatus
    }

    struct AssessmentsPage: Encodable {
        let page: PageMeta
        let planCode: String
        let planTitle: String
        /// `B12` or `2021`.
        let period: String
        let isYear: Bool
        let rows: [AssessmentRow]
        let canEdit: Bool
        let isPublished: Bool
        let publishPath: String
    }
}
