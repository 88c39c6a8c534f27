/// The period an evaluation report covers: one semester, or the semesters ending in one calendar year.
public enum ReportPeriod: Hashable, Sendable, CustomStringConvertible {
    case semester(String)
    case year(Int)

    public var description: String {
        switch self {
        case .semester(let code): code
        case .year(let year): String(year)
        }
    }
}

/// What the evaluation report is computed from: plain values read from the plan and its results.
public struct EvaluationInput: Sendable {
    public struct Target: Sendable {
        public let commitmentNumber: Int
        public let measure: String
        public let responsible: String
        public let responsibleKind: OrganisationKind
        public let text: String
        public let semester: String
        /// Nil while the target has no score.
        public let score: Score?
        /// Whether a report was handed in.
        public let reported: Bool

        public init(commitmentNumber: Int, measure: String, responsible: String, responsibleKind: OrganisationKind, text: String,
                    semester: String, score: Score?, reported: Bool = true) {
            self.reported = reported || score != nil
            self.commitmentNumber = commitmentNumber
            self.measure = measure
            self.responsible = responsible
            self.responsibleKind = responsibleKind
            self.text = text
            self.semester = semester
            self.score = score
        }
    }

    public struct Commitment: Sendable {
        public let number: Int
        public let title: String
        /// The administrative score: the secretariat's override, else the mean of scored targets.
        public let score: Int?
        public let rating: CoCreationRating?
        /// How many targets the score rests on, of how many.
        public let scoredTargets: Int
        public let targets: Int

        public init(number: Int, title: String, score: Int?, rating: CoCreationRating?, scoredTargets: Int = 0, targets: Int = 0) {
            self.number = number
            self.title = title
            self.score = score
            self.rating = rating
            self.scoredTargets = scoredTargets
            self.targets = targets
        }
    }

    public let scheme: ScoringScheme
    public let targets: [Target]
    public let commitments: [Commitment]
    /// Every semester of the plan in the period, in order.
    public let semesters: [String]

    public init(scheme: ScoringScheme, targets: [Target], commitments: [Commitment], semesters: [String]) {
        self.scheme = scheme
        self.targets = targets
        self.commitments = commitments
        self.semesters = semesters
    }
}

/// SPEC.md §6: counts, the distributions of commitments and targets, and annexes listing what fell in each category.
public struct EvaluationReport: Sendable {
    /// Key of the rows for what has no score or rating yet.
    public static let notYet = "belum"
    /// Key of the annex group of targets nobody reported on.
    public static let notReported = "tidak_dilaporkan"

    public struct Counts: Equatable, Sendable {
        public let agencies: Int
        public let civilSocietyOrganisations: Int
        public let commitments: Int
        public let measures: Int
        /// Targets per semester, in the period's order.
        public let targetsPerSemester: [(semester: String, count: Int)]

        public static func == (lhs: Counts, rhs: Counts) -> Bool {
            lhs.agencies == rhs.agencies && lhs.civilSocietyOrganisations == rhs.civilSocietyOrganisations
                && lhs.commitments == rhs.commitments && lhs.measures == rhs.measures
                && lhs.targetsPerSemester.map(\.semester) == rhs.targetsPerSemester.map(\.semester)
                && lhs.targetsPerSemester.map(\.count) == rhs.targetsPerSemester.map(\.count)
        }
    }

    public struct AnnexTarget: Equatable, Sendable {
        public let commitmentNumber: Int
        public let measure: String
        public let responsible: String
        public let text: String
        public let semester: String
    }

    public struct AnnexCommitment: Equatable, Sendable {
        public let number: Int
        public let title: String
        public let score: Int?
        public let scoredTargets: Int
        public let targets: Int
    }

    public let counts: Counts
    public let commitmentsByCategory: [BreakdownRow<String>]
    public let commitmentsByRating: [BreakdownRow<String>]
    public let agencyTargetsByCategory: [BreakdownRow<String>]
    public let civilSocietyTargetsByCategory: [BreakdownRow<String>]
    /// Category code → targets in it (K/L and CSO together), in commitment order.
    public let targetAnnex: [(category: String, targets: [AnnexTarget])]
    public let commitmentAnnex: [(category: String, commitments: [AnnexCommitment])]

    public init(_ input: EvaluationInput) {
        let scheme = input.scheme
        func categoryCode(_ score: Score?) -> String {
            guard let score, let category = try? scheme.category(for: score) else { return Self.notYet }
            return category.code
        }
        let categoryKeys = scheme.allCategories.map(\.code) + [Self.notYet]

        let responsibleKinds = Dictionary(input.targets.map { ($0.responsible, $0.responsibleKind) }, uniquingKeysWith: { a, _ in a })
        let measures = Set(input.targets.map { "\($0.commitmentNumber)\u{0}\($0.measure)\u{0}\($0.responsible)" })
        counts = Counts(
            agencies: responsibleKinds.values.filter { $0 == .governmentAgency }.count,
            civilSocietyOrganisations: responsibleKinds.values.filter { $0 == .civilSociety }.count,
            commitments: input.commitments.count,
            measures: measures.count,
            targetsPerSemester: input.semesters.map { semester in (semester, input.targets.filter { $0.semester == semester }.count) })

        func breakdown(_ codes: [String], keys: [String]) -> [BreakdownRow<String>] {
            PercentBreakdown.rows(keys.map { key in (key, codes.filter { $0 == key }.count) })
        }
        let commitmentCodes = input.commitments.map { categoryCode($0.score.map(Score.points)) }
        commitmentsByCategory = breakdown(commitmentCodes, keys: categoryKeys.filter { $0 != scheme.notApplicable.code })
        commitmentsByRating = breakdown(input.commitments.map { $0.rating?.rawValue ?? Self.notYet },
                                        keys: CoCreationRating.allCases.map(\.rawValue) + [Self.notYet])
        agencyTargetsByCategory = breakdown(input.targets.filter { $0.responsibleKind != .civilSociety }.map { categoryCode($0.score) }, keys: categoryKeys)
        civilSocietyTargetsByCategory = breakdown(input.targets.filter { $0.responsibleKind == .civilSociety }.map { categoryCode($0.score) }, keys: categoryKeys)

        let sortedTargets = input.targets.sorted { ($0.commitmentNumber, $0.semester) < ($1.commitmentNumber, $1.semester) }
        // Unscored targets are their own groups: reported and waiting for a score, or never reported.
        func annexCode(_ target: EvaluationInput.Target) -> String {
            target.score == nil && !target.reported ? Self.notReported : categoryCode(target.score)
        }
        targetAnnex = (categoryKeys + [Self.notReported]).map { key in
            (key, sortedTargets.filter { annexCode($0) == key }.map {
                AnnexTarget(commitmentNumber: $0.commitmentNumber, measure: $0.measure, responsible: $0.responsible, text: $0.text, semester: $0.semester)
            })
        }
        commitmentAnnex = categoryKeys.filter { $0 != scheme.notApplicable.code }.map { key in
            (key, input.commitments.sorted { $0.number < $1.number }.filter { categoryCode($0.score.map(Score.points)) == key }.map {
                AnnexCommitment(number: $0.number, title: $0.title, score: $0.score, scoredTargets: $0.scoredTargets, targets: $0.targets)
            })
        }
    }
}

extension EvaluationReport {
    /// The four shares of an evaluation report: what the national overview shows per plan and over all plans.
    public struct Breakdowns: Sendable, Equatable {
        public let commitmentsByCategory: [BreakdownRow<String>]
        public let commitmentsByRating: [BreakdownRow<String>]
        public let agencyTargetsByCategory: [BreakdownRow<String>]
        public let civilSocietyTargetsByCategory: [BreakdownRow<String>]

        /// Several reports' shares together: counts added key by key (the keys of the first report, so a category
        /// only another scheme names is not counted), shares rounded again by largest remainder. The same as one
        /// report of all their commitments and targets on the first's scheme, without reading those again.
        public init(combining reports: [EvaluationReport]) {
            func combined(_ rows: (EvaluationReport) -> [BreakdownRow<String>]) -> [BreakdownRow<String>] {
                guard let first = reports.first else { return [] }
                var counts: [String: Int] = [:]
                for report in reports { for row in rows(report) { counts[row.key, default: 0] += row.count } }
                return PercentBreakdown.rows(rows(first).map { ($0.key, counts[$0.key] ?? 0) })
            }
            commitmentsByCategory = combined(\.commitmentsByCategory)
            commitmentsByRating = combined(\.commitmentsByRating)
            agencyTargetsByCategory = combined(\.agencyTargetsByCategory)
            civilSocietyTargetsByCategory = combined(\.civilSocietyTargetsByCategory)
        }

        public init(_ report: EvaluationReport) {
            self.init(combining: [report])
        }
    }
}
