import Fluent
import Foundation
import PantauDomain
import Vapor

/// How a plan is going, as anyone may see it: the categories and co-creation ratings of its latest published period
/// (a semester or a year), counted over its commitments, and each commitment's own result. Nothing unpublished.
struct PlanProgress: Encodable, Sendable {
    /// "12 dari 18 komitmen Baik": one category or rating and how many commitments have it.
    struct Count: Encodable, Sendable {
        let code: String
        let label: String
        let count: Int
        let text: String
    }

    /// One commitment's latest published result, told in words as well as by its category's colour.
    struct CommitmentStatus: Encodable, Sendable {
        let number: Int
        let categoryCode: String
        let categoryLabel: String
        /// The score, when there is one; nil (not an empty text, which Leaf takes for true) otherwise.
        let score: String?
        let ratingLabel: String?
        let coverage: String
    }

    let planCode: String
    let hasResults: Bool
    /// The period the status comes from: "B12" or "2031", and its address's query.
    let period: String
    let periodQuery: String
    let isYear: Bool
    let commitmentCount: Int
    let categories: [Count]
    let ratings: [Count]
    /// Leaf takes an empty list for true: the template asks this instead.
    let hasRatings: Bool
    let commitments: [CommitmentStatus]

    static func none(_ planCode: String) -> PlanProgress {
        PlanProgress(planCode: planCode, hasResults: false, period: "", periodQuery: "", isYear: false, commitmentCount: 0, categories: [], ratings: [],
                                 commitments: [])
    }

    /// The statuses of plans loaded with their semesters, in their order; only plans with a published period read results.
    /// - Parameter versions: the plans' `PlanChanges`, read by the caller before it read the plans.
    static func load(plans: [ActionPlanModel], versions: PlanChanges.Versions, request: Request) async throws -> [PlanProgress] {
        let published = try await PublishedPeriods.load(plans: plans.compactMap(\.id), on: request.db)
        let latest = plans.compactMap { plan in published.of(plan).last.map { (plan: plan, period: $0) } }
        // Kept per language: the counts are told in words.
        let computed = try await request.application.planResultsCache.values(
            try latest.map { (try $0.plan.requireID(), "progress|\($0.period)|\(request.language.rawValue)") },
            versions: versions
        ) { missing in
            try await PeriodResults.load(missing.map { latest[$0] }, on: request.db).map { PlanProgress($0, period: $0.period, request: request) }
        }
        let statuses = Dictionary(computed.map { ($0.planCode, $0) }, uniquingKeysWith: { a, _ in a })
        return plans.map { statuses[$0.code] ?? .none($0.code) }
    }

    init(_ results: PeriodResults, period: ReportPeriod, request: Request) {
        let total = results.commitments.count
        let language = request.language
        func count(_ code: String, _ label: String, _ number: Int) -> Count {
            Count(code: code, label: label, count: number, text: request.t("status.count", "\(number)", "\(total)", label))
        }
        let notScored = results.commitments.filter { $0.result.category == nil }.count
        var categories = results.scheme.categories.compactMap { category -> Count? in
            let number = results.commitments.filter { $0.result.category?.code == category.code }.count
            return number == 0 ? nil : count(category.code, category.labels[language.rawValue] ?? category.code, number)
        }
        if notScored > 0 { categories.append(count("not_scored", request.t("status.not_scored"), notScored)) }
        var ratings = CoCreationRating.allCases.compactMap { rating -> Count? in
            let number = results.commitments.filter { $0.assessment.rating == rating }.count
            return number == 0 ? nil : count(rating.rawValue, request.t("rating." + rating.rawValue), number)
        }
        let unrated = results.commitments.filter { $0.assessment.rating == nil }.count
        if unrated > 0, unrated < total { ratings.append(count("not_rated", request.t("status.not_rated"), unrated)) }
        self.init(
            planCode: results.plan.code, hasResults: true, period: period.description, periodQuery: (period.isYear ? "year=" : "period=") + period.description,
            isYear: period.isYear, commitmentCount: total, categories: categories, ratings: ratings,
            commitments: results.commitments.map {
                CommitmentStatus(number: $0.number, categoryCode: $0.result.category?.code ?? "not_scored",
                                 categoryLabel: $0.result.category.map { $0.labels[language.rawValue] ?? $0.code } ?? request.t("status.not_scored"),
                                 score: $0.result.finalScore.map(String.init),
                                 ratingLabel: $0.assessment.rating.map { request.t("rating." + $0.rawValue) },
                                 coverage: request.t("coverage.scored", String($0.result.coverage.scored), String($0.result.coverage.targets)))
            })
    }

    private init(planCode: String, hasResults: Bool, period: String, periodQuery: String, isYear: Bool, commitmentCount: Int, categories: [Count], ratings: [Count],
                 commitments: [CommitmentStatus]) {
        self.planCode = planCode
        self.hasResults = hasResults
        self.period = period
        self.periodQuery = periodQuery
        self.isYear = isYear
        self.commitmentCount = commitmentCount
        self.categories = categories
        self.ratings = ratings
        self.hasRatings = !ratings.isEmpty
        self.commitments = commitments
    }

    /// The status of commitment `number`, if it has a published result.
    func commitment(_ number: Int) -> CommitmentStatus? {
        commitments.first { $0.number == number }
    }
}
