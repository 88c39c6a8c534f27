/// What Pantau tells people, and whom (issue 16). Each kind has its own choice of delivery per account.
public enum NotificationKind: String, CaseIterable, Codable, Sendable {
    /// A reporting window opened: implementers whose organisation owes targets in it.
    case windowOpened = "window_opened"
    /// A reporting window closes in a few working days: implementers with targets not yet handed in.
    case windowClosing = "window_closing"
    /// A reporting window closed with targets missing: their implementers, and the plan's secretariat.
    case windowClosedMissing = "window_closed_missing"
    /// The secretariat asked a question about a report: its organisation's implementers, with the answer's deadline.
    case clarificationRequested = "clarification_requested"
    /// An implementer answered a question: the plan's secretariat.
    case clarificationAnswered = "clarification_answered"
    /// A question was not answered by its deadline: the implementers and the plan's secretariat.
    case clarificationOverdue = "clarification_overdue"
    /// A report was scored: its organisation's implementers.
    case reportScored = "report_scored"
    /// A semester or year was published or corrected: the plan's implementers and its followers.
    case resultsPublished = "results_published"
    /// A proposal moved to another stage: its proposer.
    case proposalStageChanged = "proposal_stage_changed"
    /// A consultation comment waits for moderation: the plan's secretariat.
    case commentAwaitingModeration = "comment_awaiting_moderation"
}

/// How an account receives one kind of notification by email. In the app every notification is listed whatever
/// is chosen: the choice is about the inbox.
public enum NotificationDelivery: String, CaseIterable, Codable, Sendable {
    /// An email as soon as it happens.
    case immediately
    /// One email a day, at the account's digest hour (WIB), with everything of the day before.
    case dailyDigest = "daily_digest"
    /// No email.
    case off
}
