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

    /// Adopted, merged and dropped end a proposal's path, and each needs a reason.
    public var isFinal: Bool { self == .adopted || self == .merged || self == .dropped }

    /// Stages a proposal at this stage may move to: any later working stage, or an end.
    public var next: [ProposalStage] {
        guard !isFinal else { return [] }
        let order = Self.allCases
        let position = order.firstIndex(of: self)!
        return order.enumerated().filter { $0.offset > position }.map(\.element)
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
