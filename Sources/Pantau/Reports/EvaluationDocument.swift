import Foundation
import PantauDomain
import Vapor

/// The evaluation report ready to show: labels in the reader's language, charts drawn, annexes listed.
/// The JSON API, the printable page and the CSV all come from this one value.
struct EvaluationDocument: Content {
    struct Row: Content {
        let category: String
        let label: String
        let count: Int
        let percent: Int
    }

    struct Breakdown: Content {
        let key: String
        let title: String
        let rows: [Row]
        /// The chart as SVG markup (omitted from JSON).
        let chart: String?
    }

    struct SemesterCount: Content {
        let semester: String
        let count: Int
    }

    struct Counts: Content {
        let agencies: Int
        let civilSocietyOrganisations: Int
        let commitments: Int
        let measures: Int
        let targetsPerSemester: [SemesterCount]
    }

    struct AnnexTarget: Content {
        let commitment: Int
        let measure: String
        let responsible: String
        let target: String
        let semester: String
    }

    struct AnnexCommitment: Content {
        let number: Int
        let title: String
        let score: Int?
        let scoredTargets: Int
        let targets: Int
        /// Corrections after publication: "dikoreksi pada ...".
        let corrections: [Correction]
    }

    struct Correction: Content {
        let at: String
        let by: String
        let reason: String
        let before: CorrectedValue
        let after: CorrectedValue
        /// "Dikoreksi pada 2022-01-10 09:00 WIB: 80 · Baik → 60 · Cukup" (omitted from JSON).
        let summary: String?
    }

    struct TargetAnnex: Content {
        let category: String
        let label: String
        let items: [AnnexTarget]
    }

    struct CommitmentAnnex: Content {
        let category: String
        let label: String
        let items: [AnnexCommitment]
    }

    let planCode: String
    let planTitle: String
    let period: String
    let published: Bool
    let publishedAt: String
    let publicationReason: String
    let counts: Counts
    let breakdowns: [Breakdown]
    let highlights: String
    let findings: String
    let followUps: String
    let targetAnnex: [TargetAnnex]
    let commitmentAnnex: [CommitmentAnnex]

    /// What a breakdown's row is called: a category of the scheme, a co-creation rating, or not yet scored or reported.
    static func label(_ code: String, scheme: ScoringScheme, localizer: Localizer, language: Language) -> String {
        if code == EvaluationReport.notYet { return localizer.text("evaluation.not_yet", language) }
        if code == EvaluationReport.notReported { return localizer.text("evaluation.not_reported", language) }
        if let rating = CoCreationRating(rawValue: code) { return localizer.text("rating." + rating.rawValue, language) }
        return scheme.allCategories.first { $0.code == code }.map { $0.labels[language.rawValue] ?? code } ?? code
    }

    /// A breakdown's rows with their labels.
    static func rows(_ rows: [BreakdownRow<String>], scheme: ScoringScheme, localizer: Localizer, language: Language) -> [Row] {
        rows.map { Row(category: $0.key, label: label($0.key, scheme: scheme, localizer: localizer, language: language), count: $0.count,
                       percent: $0.percent) }
    }

    init(_ built: EvaluationQueries.Built, note: EvaluationNoteModel?, language: Language, localizer: Localizer, withCharts: Bool) {
        func label(_ code: String) -> String { Self.label(code, scheme: built.scheme, localizer: localizer, language: language) }
        func breakdown(_ key: String, _ rows: [BreakdownRow<String>], donut: Bool) -> Breakdown {
            let title = localizer.text("evaluation." + key, language)
            let items = Self.rows(rows, scheme: built.scheme, localizer: localizer, language: language)
            let chartItems = items.map { SVGChart.Item(label: $0.label, count: $0.count, percent: $0.percent, key: $0.category) }
            let chart = withCharts ? (donut ? SVGChart.donut(chartItems, title: title, id: key) : SVGChart.bars(chartItems, title: title, id: key)) : nil
            return Breakdown(key: key, title: title, rows: items, chart: chart)
        }
        let report = built.report
        var correctionsByNumber: [Int: [Correction]] = [:]
        let numbers = Dictionary(built.results.commitments.map { ($0.commitmentID, $0.number) }, uniquingKeysWith: { a, _ in a })
        for correction in built.results.corrections {
            guard let number = numbers[correction.$commitment.id] else { continue }
            let empty = CorrectedValue(score: nil, category: nil)
            let at = Formatting.jakartaTime(correction.madeAt)
            let before = CorrectionView.describe(correction.beforeValue, scheme: built.scheme, localizer: localizer, language: language)
            let after = CorrectionView.describe(correction.afterValue, scheme: built.scheme, localizer: localizer, language: language)
            correctionsByNumber[number, default: []].append(Correction(
                at: at, by: correction.madeBy, reason: correction.reason,
                before: correction.beforeValue ?? empty, after: correction.afterValue ?? empty,
                summary: withCharts ? localizer.text("correction.summary", language, [at, before, after]) : nil))
        }
        planCode = built.plan.code
        publishedAt = built.results.publication.map { Formatting.jakartaTime($0.at) } ?? ""
        publicationReason = built.results.publication?.reason ?? ""
        planTitle = built.plan.title
        period = built.period.description
        published = built.isPublished
        counts = Counts(agencies: report.counts.agencies, civilSocietyOrganisations: report.counts.civilSocietyOrganisations,
                        commitments: report.counts.commitments, measures: report.counts.measures,
                        targetsPerSemester: report.counts.targetsPerSemester.map { SemesterCount(semester: $0.semester, count: $0.count) })
        breakdowns = [
            breakdown("commitments_by_category", report.commitmentsByCategory, donut: true),
            breakdown("commitments_by_rating", report.commitmentsByRating, donut: true),
            breakdown("agency_targets_by_category", report.agencyTargetsByCategory, donut: false),
            breakdown("cso_targets_by_category", report.civilSocietyTargetsByCategory, donut: false),
        ]
        highlights = note?.highlights ?? ""
        findings = note?.findings ?? ""
        followUps = note?.followUps ?? ""
        targetAnnex = report.targetAnnex.map { entry in
            TargetAnnex(category: entry.category, label: label(entry.category), items: entry.targets.map {
                AnnexTarget(commitment: $0.commitmentNumber, measure: $0.measure, responsible: $0.responsible, target: $0.text, semester: $0.semester)
            })
        }
        commitmentAnnex = report.commitmentAnnex.map { entry in
            CommitmentAnnex(category: entry.category, label: label(entry.category), items: entry.commitments.map {
                AnnexCommitment(number: $0.number, title: $0.title, score: $0.score, scoredTargets: $0.scoredTargets, targets: $0.targets,
                                corrections: correctionsByNumber[$0.number] ?? [])
            })
        }
    }

    /// Every table as rows of one CSV: which table, then the columns that table uses.
    func csv() throws -> Data {
        var rows: [[String]] = [["table", "category", "label", "count", "percent", "commitment", "measure_or_title", "responsible", "target", "semester"]]
        rows.append(["counts", "agencies", "", "\(counts.agencies)", "", "", "", "", "", ""])
        rows.append(["counts", "civil_society_organisations", "", "\(counts.civilSocietyOrganisations)", "", "", "", "", "", ""])
        rows.append(["counts", "commitments", "", "\(counts.commitments)", "", "", "", "", "", ""])
        rows.append(["counts", "measures", "", "\(counts.measures)", "", "", "", "", "", ""])
        for semester in counts.targetsPerSemester { rows.append(["counts", "targets", semester.semester, "\(semester.count)", "", "", "", "", "", semester.semester]) }
        for table in breakdowns {
            for row in table.rows { rows.append([table.key, row.category, row.label, "\(row.count)", "\(row.percent)", "", "", "", "", ""]) }
        }
        for annex in commitmentAnnex {
            for item in annex.items { rows.append(["annex_commitments", annex.category, annex.label, "", "", "\(item.number)", item.title, "", item.score.map(String.init) ?? "", ""]) }
        }
        for annex in targetAnnex {
            for item in annex.items { rows.append(["annex_targets", annex.category, annex.label, "", "", "\(item.commitment)", item.measure, item.responsible, item.target, item.semester]) }
        }
        return try PlanCSV.encode(rows)
    }
}
