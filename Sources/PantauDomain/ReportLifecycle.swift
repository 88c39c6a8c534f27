import Foundation

/// The life of one report on one target, as a state machine: draft → submitted → (clarification requested →
/// submitted)* → scored, then published with its semester and, after that, only corrected. Every page and API
/// call asks this type what an action does to a report; none restates the rules.
public enum ReportLifecycle {
    /// What someone does to a report.
    public enum Action: Sendable, Equatable {
        /// The implementer writes text, sets progress, adds or removes evidence.
        case edit
        /// The implementer hands the report in (again).
        case submit
        /// The secretariat asks the implementer to clarify or complete a handed-in report.
        case requestClarification
        /// The secretariat scores a handed-in report (or scores it again).
        case score
    }

    /// Where a report stands as everyone sees it: its stored status, with publication and corrections on top.
    public enum Stage: String, Sendable, CaseIterable {
        case notReported = "not_reported"
        case draft
        case submitted
        case clarificationRequested = "clarification_requested"
        case scored
        case published
        case corrected
    }

    /// Why an action may not happen now. The raw value is the localisation key of its message.
    public enum Refusal: String, Error, Sendable, Equatable {
        /// The report is handed in and waits for the secretariat.
        case frozen = "report.frozen"
        /// Nothing was written yet, so there is nothing to hand in.
        case nothingToSubmit = "report.nothing_to_submit"
        /// Clarification can be asked only of a handed-in report that is not yet scored.
        case clarifyOnlySubmitted = "report.clarify_only_submitted"
        /// Only a handed-in report can be scored.
        case notSubmitted = "report.not_submitted"
        /// The semester is published: the report is frozen for everyone; only a correction may change its score.
        case semesterPublished = "report.semester_published"
        /// A change to a published result is a correction and needs a reason.
        case correctionReasonRequired = "correction.reason_required"
    }

    /// What happens when `action` is taken on a report whose status is `status` (nil: no report yet).
    /// - Parameters:
    ///   - semesterPublished: whether the report's semester has been published.
    ///   - correctionReason: for `.score` in a published semester, why the published result is corrected.
    /// - Returns: the report's status afterwards, and whether the change is a correction of a published result.
    public static func apply(_ action: Action, to status: ReportStatus?, semesterPublished: Bool,
                             correctionReason: String = "") throws -> (status: ReportStatus, isCorrection: Bool) {
        let hasReason = !correctionReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch action {
        case .edit:
            guard !semesterPublished else { throw Refusal.semesterPublished }
            guard let status else { return (.draft, false) }
            guard status.isEditableByImplementer else { throw Refusal.frozen }
            return (status, false)
        case .submit:
            guard !semesterPublished else { throw Refusal.semesterPublished }
            guard let status else { throw Refusal.nothingToSubmit }
            guard status.isEditableByImplementer else { throw Refusal.frozen }
            return (.submitted, false)
        case .requestClarification:
            guard !semesterPublished else { throw Refusal.semesterPublished }
            guard status == .submitted else { throw Refusal.clarifyOnlySubmitted }
            return (.clarificationRequested, false)
        case .score:
            guard status == .submitted || status == .scored else { throw Refusal.notSubmitted }
            if semesterPublished {
                guard hasReason else { throw Refusal.correctionReasonRequired }
                return (.scored, true)
            }
            return (.scored, false)
        }
    }

    /// The stage a report is in, for lists, pages and open data.
    public static func stage(of status: ReportStatus?, semesterPublished: Bool, corrections: Int) -> Stage {
        guard let status else { return .notReported }
        if semesterPublished, status == .scored || status == .submitted {
            return corrections > 0 ? .corrected : .published
        }
        switch status {
        case .draft: return .draft
        case .submitted: return .submitted
        case .clarificationRequested: return .clarificationRequested
        case .scored: return .scored
        }
    }

    /// A first submission after the window closed (possible only through a reopening) is late; a resubmission
    /// after clarification keeps the mark the first submission had.
    public static func isLate(previousStatus: ReportStatus?, wasLate: Bool, window: ReportingWindow?, on day: CalendarDay) -> Bool {
        if previousStatus == .clarificationRequested { return wasLate }
        return wasLate || (window?.isLate(on: day) ?? false)
    }

    /// Which organisation a target's report belongs to: the one that wrote it, for good, whoever holds the measure
    /// later (its text, evidence, thread and score are that organisation's account of that semester's work); a target
    /// nobody has reported on yet is for the organisation responsible for its measure now to start. Reading, writing,
    /// submitting, answering, downloading its evidence and the organisation's scorecard all follow this one rule.
    public static func owner<Organisation: Equatable>(writtenBy writer: Organisation?, measureResponsible: Organisation) -> Organisation {
        writer ?? measureResponsible
    }

    /// Whether the public may see a report: once its semester is published, a report that was scored
    /// (or corrected) before or after publication. What was never verified stays with the secretariat.
    public static func isPublic(_ status: ReportStatus, semesterPublished: Bool) -> Bool {
        semesterPublished && status == .scored
    }
}

/// What a message on a report is, which decides who reads it.
public enum ReportMessageKind: String, Codable, Sendable, CaseIterable {
    /// The secretariat asks the implementer to clarify or complete the report; it reopens the report.
    case clarificationRequest = "clarification"
    /// The implementer's answer to a clarification request.
    case answer
    /// A note of the secretariat or a reviewer for staff only: implementers and the public never read it.
    case staffNote = "staff_note"

    /// The kind of a message the caller writes: those who report answer; staff ask for clarification or leave a note.
    public static func written(by caller: Caller, asksClarification: Bool) -> ReportMessageKind {
        if caller.mayEver(.report) { return .answer }
        return asksClarification ? .clarificationRequest : .staffNote
    }

    /// Whether a viewer (nil: a visitor) reads messages of this kind on a report of `plan` they may read in full.
    public func isVisible(to viewer: Caller?, plan: UUID?) -> Bool {
        switch self {
        case .clarificationRequest, .answer: viewer != nil
        case .staffNote: viewer.may(.readUnpublished, inPlan: plan)
        }
    }
}
