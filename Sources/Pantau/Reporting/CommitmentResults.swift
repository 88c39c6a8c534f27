import Fluent
import Foundation
import PantauDomain

/// A commitment's result in a semester: its default score from its targets, the override, the final
/// score and category, and its co-creation rating.
enum CommitmentResults {
    struct Result {
        let commitmentID: UUID
        let number: Int
        let title: String
        let defaultScore: Int?
        let scoreOverride: Int?
        let overrideReason: String
        let finalScore: Int?
        let categoryCode: String?
        let categoryLabel: String
        let rating: CoCreationRating?
        let justification: String
        let scoredTargets: Int
        let targets: Int
    }

    static func results(planID: UUID, semesterID: UUID, language: Language, on database: any Database) async throws -> [Result] {
        guard let plan = try await ActionPlanModel.query(on: database).filter(\.$id == planID)
            .with(\.$scheme) { $0.with(\.$categories) }.first() else { return [] }
        let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
        let commitments = try await CommitmentModel.query(on: database).filter(\.$plan.$id == planID)
            .with(\.$goals) { $0.with(\.$measures) { $0.with(\.$targets) } }.sort(\.$number).all()
        let targetIDs = commitments.flatMap { $0.goals.flatMap { $0.measures.flatMap { $0.targets.filter { $0.$semester.id == semesterID }.map { $0.id! } } } }
        let reports = try await TargetReportModel.query(on: database).filter(\.$target.$id ~~ targetIDs).filter(\.$status == .scored).all()
        let scoreByTarget = Dictionary(reports.compactMap { report in report.domainScore.map { (report.$target.id, $0) } }, uniquingKeysWith: { a, _ in a })
        let assessments = try await CommitmentAssessmentModel.query(on: database).filter(\.$semester.$id == semesterID).all()
        return try commitments.map { commitment in
            let targets = commitment.goals.flatMap { $0.measures.flatMap { $0.targets.filter { $0.$semester.id == semesterID } } }
            let scores = targets.compactMap { scoreByTarget[$0.id!] }
            let assessment = assessments.first { $0.$commitment.id == commitment.id! }
            let defaultScore = Scoring.commitmentScore(scores)
            let final = assessment?.scoreOverride ?? defaultScore
            let category = try final.map { try scheme.category(for: .points($0)) }
            return Result(commitmentID: commitment.id!, number: commitment.number, title: commitment.title, defaultScore: defaultScore,
                          scoreOverride: assessment?.scoreOverride, overrideReason: assessment?.overrideReason ?? "",
                          finalScore: final, categoryCode: category?.code, categoryLabel: category.map { $0.labels[language.rawValue] ?? $0.code } ?? "",
                          rating: assessment?.coCreationRating, justification: assessment?.coCreationJustification ?? "",
                          scoredTargets: scores.count, targets: targets.count)
        }
    }
}
