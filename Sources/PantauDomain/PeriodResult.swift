/// What is known of one target in a period: whether it was reported, and its score once it has one.
public struct TargetOutcome: Hashable, Sendable {
    /// The report was handed in (it may still wait for a score).
    public let reported: Bool
    /// The secretariat's score; nil while there is none.
    public let score: Score?

    public init(reported: Bool, score: Score?) {
        self.reported = reported || score != nil
        self.score = score
    }

    public static let notReported = TargetOutcome(reported: false, score: nil)
}

/// How many of a commitment's targets a period's result rests on.
public struct Coverage: Hashable, Sendable {
    public let targets: Int
    public let reported: Int
    /// Targets with a score, N/A included.
    public let scored: Int
    public let notApplicable: Int

    public init(_ outcomes: [TargetOutcome]) {
        targets = outcomes.count
        reported = outcomes.filter(\.reported).count
        scored = outcomes.filter { $0.score != nil }.count
        notApplicable = outcomes.filter { $0.score == .notApplicable }.count
    }

    /// Some targets have no score, so the result rests on part of them.
    public var isPartial: Bool { scored < targets }
}

/// A commitment's result in a period (a semester or a year): the default from its targets, the secretariat's
/// override, the final score and its category, and the coverage behind it. SPEC.md §5.
public struct PeriodResult: Hashable, Sendable {
    /// The mean of the scored targets (N/A excluded), rounded half up; nil when no target has points.
    public let defaultScore: Int?
    public let scoreOverride: Int?
    /// The override when there is one, else the default.
    public let finalScore: Int?
    public let category: ScoreCategory?
    public let coverage: Coverage

    /// - Parameter outcomes: every target of the commitment in the period: for a semester its targets, for a year
    ///   the targets of every semester that ends in the year.
    public init(outcomes: [TargetOutcome], scoreOverride: Int?, scheme: ScoringScheme) throws {
        defaultScore = Self.mean(outcomes.compactMap(\.score))
        self.scoreOverride = scoreOverride
        finalScore = scoreOverride ?? defaultScore
        category = try finalScore.map { try scheme.category(for: .points($0)) }
        coverage = Coverage(outcomes)
    }

    /// The mean of the scores with points, N/A excluded, rounded half up to a whole number; nil when none has points.
    public static func mean(_ scores: [Score]) -> Int? {
        let points = scores.compactMap { score -> Int? in
            if case .points(let value) = score { return value }
            return nil
        }
        guard !points.isEmpty else { return nil }
        let total = points.reduce(0, +)
        // Integer arithmetic: (2 * total + count) / (2 * count) is total / count rounded half up.
        return (2 * total + points.count) / (2 * points.count)
    }

    /// The semesters whose targets a period's results rest on: the semester itself, or every semester of the
    /// plan that ends in the year.
    public static func semesters(of period: ReportPeriod, in schedule: [Semester]) -> [Semester] {
        switch period {
        case .semester(let code): schedule.filter { $0.code == code }
        case .year(let year): schedule.filter { $0.endDay.year == year }.sorted { $0.month < $1.month }
        }
    }
}
