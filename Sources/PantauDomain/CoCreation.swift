/// Where a proposal for a commitment is in co-creation (SPEC.md §1). The secretariat records each stage.
public enum ProposalStage: String, CaseIterable, Codable, Sendable {
    case submitted
    /// Bilateral discussion with the proposer.
    case bilateral
    /// Alignment with the national development plan, with the planning ministry.
    case planningAlignment = "planning_alignment"
    /// Discussion with the agencies and CSOs concerned.
    case stakeholderDiscussion = "stakeholder_discussion"
    case finalisation
    case adopted
    /// Merged into another proposal.
    case merged
    case dropped
    /// Withdrawn by its proposer before review started.
    case withdrawn

    /// Adopted, merged and dropped end a proposal's path, and each needs a reason; so does a withdrawal, by the proposer.
    public var isFinal: Bool { self == .adopted || self == .merged || self == .dropped || self == .withdrawn }

    /// Whether the secretariat decided it (adopted, merged, dropped): its reason is published with the proposal.
    public var isDecision: Bool { self == .adopted || self == .merged || self == .dropped }

    /// Stages the secretariat may record for a proposal at this stage: any later working stage, or a decision. Only
    /// the proposer withdraws.
    public var next: [ProposalStage] {
        guard !isFinal, let position = Self.allCases.firstIndex(of: self) else { return [] }
        return Self.allCases.enumerated().filter { $0.offset > position && $0.element != .withdrawn }.map(\.element)
    }
}

/// A comment from the public consultation on a draft plan, as moderated by the secretariat.
public enum CommentStatus: String, CaseIterable, Codable, Sendable {
    /// Waiting for the secretariat: comments from visitors without an account start here.
    case pending
    case published
    case rejected
}

/// How the secretariat took a consultation comment into account.
public enum CommentResponse: String, CaseIterable, Codable, Sendable {
    case accepted
    case partlyAccepted = "partly_accepted"
    case notAccepted = "not_accepted"
    case noted
}

/// The phases of co-creating a plan (OGP's co-creation standard asks for a timeline published before it starts), in
/// the order they run.
public enum CoCreationPhase: String, CaseIterable, Codable, Sendable {
    case callForProposals = "call_for_proposals"
    case review
    /// Alignment with the national development plan, with the planning ministry.
    case planningAlignment = "planning_alignment"
    /// Discussion with the agencies and CSOs concerned.
    case stakeholderDiscussion = "stakeholder_discussion"
    case consultation
    case finalisation
    case adoption

    /// The call for proposals and the consultation are opened and closed with their switches, which record the
    /// actual days; the secretariat records the other phases' actual days itself.
    public var hasSwitch: Bool { self == .callForProposals || self == .consultation }
}

/// A phase's planned and actual days. Each is nil until set.
public struct PhaseDates: Codable, Hashable, Sendable {
    public var plannedStart: CalendarDay?
    public var plannedEnd: CalendarDay?
    public var actualStart: CalendarDay?
    public var actualEnd: CalendarDay?

    public init(plannedStart: CalendarDay? = nil, plannedEnd: CalendarDay? = nil, actualStart: CalendarDay? = nil, actualEnd: CalendarDay? = nil) {
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.actualStart = actualStart
        self.actualEnd = actualEnd
    }

    public var isEmpty: Bool { plannedStart == nil && plannedEnd == nil && actualStart == nil && actualEnd == nil }

    /// Open on `day`: it has started and has not ended.
    public func isOpen(on day: CalendarDay) -> Bool {
        guard let start = actualStart, start <= day else { return false }
        return actualEnd.map { day <= $0 } ?? true
    }
}

/// A plan's co-creation timeline: the dates of each phase.
public struct CoCreationTimeline: Codable, Hashable, Sendable {
    public var phases: [CoCreationPhase: PhaseDates]

    public init(phases: [CoCreationPhase: PhaseDates] = [:]) {
        self.phases = phases
    }

    public subscript(phase: CoCreationPhase) -> PhaseDates {
        get { phases[phase] ?? PhaseDates() }
        set { phases[phase] = newValue.isEmpty ? nil : newValue }
    }

    public var isEmpty: Bool { phases.values.allSatisfy(\.isEmpty) }

    /// What is wrong with the timeline, in phase order: the first problem found for each phase. A phase ends on or after
    /// the day it starts; it has not started (or ended) after `today`; it cannot end before it starts; and phases are
    /// planned in their order, each starting on or after the one before.
    public func problems(today: CalendarDay) -> [TimelineProblem] {
        var problems: [TimelineProblem] = []
        var previousStart: (phase: CoCreationPhase, day: CalendarDay)?
        for phase in CoCreationPhase.allCases {
            let dates = self[phase]
            if let start = dates.plannedStart, let end = dates.plannedEnd, end < start {
                problems.append(TimelineProblem(phase: phase, field: "plannedEnd", kind: .endBeforeStart))
            } else if dates.actualEnd != nil, dates.actualStart == nil {
                problems.append(TimelineProblem(phase: phase, field: "actualEnd", kind: .endWithoutStart))
            } else if let start = dates.actualStart, let end = dates.actualEnd, end < start {
                problems.append(TimelineProblem(phase: phase, field: "actualEnd", kind: .endBeforeStart))
            } else if let start = dates.actualStart, start > today {
                problems.append(TimelineProblem(phase: phase, field: "actualStart", kind: .inTheFuture))
            } else if let end = dates.actualEnd, end > today {
                problems.append(TimelineProblem(phase: phase, field: "actualEnd", kind: .inTheFuture))
            } else if let start = dates.plannedStart, let previous = previousStart, start < previous.day {
                problems.append(TimelineProblem(phase: phase, field: "plannedStart", kind: .beforePreviousPhase(previous.phase)))
            }
            if let start = dates.plannedStart { previousStart = (phase, start) }
        }
        return problems
    }

    /// A phase's switch opened on `today` (it starts, keeping an earlier start, and no longer has an end) or closed (it
    /// ends today, and starts today too if it never opened).
    public mutating func switched(_ phase: CoCreationPhase, open: Bool, on today: CalendarDay) {
        self[phase].actualStart = self[phase].actualStart ?? today
        self[phase].actualEnd = open ? nil : today
    }

    /// The phases open on `day`, in order.
    public func open(on day: CalendarDay) -> [CoCreationPhase] {
        CoCreationPhase.allCases.filter { self[$0].isOpen(on: day) }
    }

    /// Stored as a list in phase order, so that the stored text (and the audit history's) reads in order.
    private struct Entry: Codable {
        let phase: CoCreationPhase
        let dates: PhaseDates
    }

    public init(from decoder: any Decoder) throws {
        let entries = try [Entry](from: decoder)
        phases = Dictionary(entries.map { ($0.phase, $0.dates) }, uniquingKeysWith: { _, last in last })
    }

    public func encode(to encoder: any Encoder) throws {
        try CoCreationPhase.allCases.compactMap { phase in phases[phase].map { Entry(phase: phase, dates: $0) } }.encode(to: encoder)
    }
}

/// One thing wrong with a timeline: which phase, which of its dates, and what.
public struct TimelineProblem: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case endBeforeStart
        case endWithoutStart
        case inTheFuture
        case beforePreviousPhase(CoCreationPhase)
    }

    public let phase: CoCreationPhase
    public let field: String
    public let kind: Kind

    public init(phase: CoCreationPhase, field: String, kind: Kind) {
        self.phase = phase
        self.field = field
        self.kind = kind
    }
}
