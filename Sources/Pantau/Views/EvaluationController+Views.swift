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
        /// Why the period was published although incomplete; nil when it was not, or is not published.
        let publicationReason: String?
        let periods: [PeriodLink]
        /// What the notes form holds: the stored notes, or what was typed when they were refused.
        let notes: NotesForm
        let errors: FormErrors
    }

    struct PeriodLink: Encodable {
        let label: String
        let query: String
        let isPublished: Bool
        /// Linked when there is a report to read: published, or the reader is staff who see it before publication.
        let isLinked: Bool

        /// Every semester of the plan and every calendar year its semesters end in; `published` holds the codes and
        /// years whose results are public.
        static func all(for semesters: [PlanSemesterModel], published: Set<String>, readsUnpublished: Bool) -> [PeriodLink] {
            let sorted = semesters.sorted { $0.month < $1.month }
            let years = Array(Set(sorted.map { String($0.endDate.prefix(4)) })).sorted()
            return (sorted.map { ($0.code, "period=\($0.code)") } + years.map { ($0, "year=\($0)") }).map { label, query in
                PeriodLink(label: label, query: query, isPublished: published.contains(label), isLinked: published.contains(label) || readsUnpublished)
            }
        }

        /// The periods of a plan (loaded with its semesters) for this reader.
        static func load(for plan: ActionPlanModel?, request: Request) async throws -> [PeriodLink] {
            guard let plan else { return [] }
            let published = try await EvaluationQueries.publishedPeriods(of: plan, on: request.db)
            let readsUnpublished = request.may(.readUnpublished, plan: plan.id)
            return all(for: plan.semesters, published: Set(published.map(\.description)), readsUnpublished: readsUnpublished)
        }
    }
}
