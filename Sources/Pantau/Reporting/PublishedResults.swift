import Fluent
import Foundation
import PantauDomain

/// What the public sees of a commitment's results: only semesters the secretariat has published.
enum PublishedResults {
    struct TargetResult: Encodable {
        let score: String
        let categoryLabel: String
        let categoryCode: String
        let achievement: String
        let progress: Int
        let notApplicableReason: String
        let notApplicable: Bool
        let evidence: [ReportQueries.EvidenceView]
        let hasEvidence: Bool
    }

    struct CommitmentResult: Encodable {
        let semester: String
        let score: String
        let categoryLabel: String
        let ratingKey: String
        let hasRating: Bool
        let justification: String
    }

    /// Results keyed by "goal.measure.semester" numbers as the commitment page counts them.
    static func targets(commitmentNumber: Int, planCode: String, language: Language,
                        on database: any Database) async throws -> (targets: [String: TargetResult], commitment: [CommitmentResult]) {
        guard let plan = try await ActionPlanModel.query(on: database).filter(\.$code == planCode)
            .with(\.$scheme) { $0.with(\.$categories) }.with(\.$semesters).first(),
              let commitment = try await CommitmentModel.query(on: database).filter(\.$plan.$id == plan.requireID())
                .filter(\.$number == commitmentNumber).with(\.$goals) { $0.with(\.$measures) { $0.with(\.$targets) } }.first()
        else { return ([:], []) }
        let published = Set(try await SemesterPublicationModel.query(on: database)
            .filter(\.$semester.$id ~~ plan.semesters.map { $0.id! }).all().map { $0.$semester.id })
        guard !published.isEmpty else { return ([:], []) }
        let scheme = try SchemeStore.domainScheme(plan.scheme, categories: plan.scheme.categories)
        let semesterCodes = Dictionary(uniqueKeysWithValues: plan.semesters.map { ($0.id!, $0.code) })

        var keys: [UUID: String] = [:]
        for goal in commitment.goals {
            for measure in goal.measures {
                for target in measure.targets where published.contains(target.$semester.id) {
                    keys[target.id!] = "\(goal.position + 1).\(measure.position + 1).\(semesterCodes[target.$semester.id] ?? "")"
                }
            }
        }
        let reports = try await TargetReportModel.query(on: database).filter(\.$target.$id ~~ Array(keys.keys))
            .filter(\.$status ~~ [ReportStatus.submitted, .scored]).with(\.$evidence).all()
        var results: [String: TargetResult] = [:]
        for report in reports {
            guard let key = keys[report.$target.id] else { continue }
            let category = try report.domainScore.map { try scheme.category(for: $0) }
            let evidence = report.evidence.filter(\.isPublic).map(ReportQueries.evidenceView)
            results[key] = TargetResult(
                score: report.notApplicable ? "N/A" : report.score.map(String.init) ?? "",
                categoryLabel: report.notApplicable ? "" : category.map { $0.labels[language.rawValue] ?? $0.code } ?? "",
                categoryCode: category?.code ?? "pending", achievement: report.achievement, progress: report.progress,
                notApplicableReason: report.notApplicableReason, notApplicable: report.notApplicable, evidence: evidence, hasEvidence: !evidence.isEmpty)
        }

        var commitmentResults: [CommitmentResult] = []
        for semester in plan.semesters.sorted(by: { $0.month < $1.month }) where published.contains(semester.id!) {
            let all = try await CommitmentResults.results(planID: plan.id!, semesterID: semester.id!, language: language, on: database)
            guard let result = all.first(where: { $0.commitmentID == commitment.id! }) else { continue }
            commitmentResults.append(CommitmentResult(
                semester: semester.code, score: result.finalScore.map(String.init) ?? "–", categoryLabel: result.categoryLabel,
                ratingKey: result.rating.map { "rating." + $0.rawValue } ?? "", hasRating: result.rating != nil, justification: result.justification))
        }
        return (results, commitmentResults)
    }
}
