/// Where a report on one target stands in the semester cycle.
public enum ReportStatus: String, CaseIterable, Codable, Sendable {
    /// Being written by the implementer; only their organisation sees it.
    case draft
    /// Handed in and frozen, waiting for the secretariat.
    case submitted
    /// The secretariat asked for clarification or completion; the implementer may edit and resubmit.
    case clarificationRequested = "clarification_requested"
    /// Scored by the secretariat.
    case scored

    /// The implementer may change the report only while it is theirs to work on.
    public var isEditableByImplementer: Bool { self == .draft || self == .clarificationRequested }
}

/// How far a commitment's implementers co-created in a semester (SPEC.md §5).
public enum CoCreationRating: String, CaseIterable, Codable, Sendable {
    /// Implementers did co-create across K/L and CSOs.
    case aktif
    /// Effort is visible, co-creation not yet realised.
    case semiAktif = "semi_aktif"
    /// No co-creation.
    case pasif
    /// Cannot be done until another party takes the first step.
    case tidakBisaDilaksanakan = "tidak_bisa_dilaksanakan"
}

/// A reporting window: the days in which implementers report, then the days in which the secretariat verifies.
public struct ReportingWindow: Hashable, Codable, Sendable {
    public let reportOpens: CalendarDay
    public let reportCloses: CalendarDay
    public let verifyOpens: CalendarDay
    public let verifyCloses: CalendarDay

    public enum Problem: String, Error, Sendable {
        case reportingReversed = "window.reporting_reversed"
        case verificationReversed = "window.verification_reversed"
        case verificationBeforeReporting = "window.verification_before_reporting"
    }

    public init(reportOpens: CalendarDay, reportCloses: CalendarDay, verifyOpens: CalendarDay, verifyCloses: CalendarDay) throws {
        guard reportOpens <= reportCloses else { throw Problem.reportingReversed }
        guard verifyOpens <= verifyCloses else { throw Problem.verificationReversed }
        guard reportCloses < verifyOpens || reportCloses == verifyOpens else { throw Problem.verificationBeforeReporting }
        self.reportOpens = reportOpens
        self.reportCloses = reportCloses
        self.verifyOpens = verifyOpens
        self.verifyCloses = verifyCloses
    }

    /// Whether an implementer may submit on `day`; `extendedUntil` is a reopening for their organisation.
    public func acceptsReports(on day: CalendarDay, extendedUntil: CalendarDay? = nil) -> Bool {
        (reportOpens...reportCloses).contains(day) || (extendedUntil.map { day >= reportOpens && day <= $0 } ?? false)
    }

    /// A submission after the window closed (possible only through a reopening) is marked late.
    public func isLate(on day: CalendarDay) -> Bool { day > reportCloses }

    /// Whether an implementer may work on a report on `day`: inside the reporting window or its reopening for
    /// their organisation; a report sent back for clarification also until the verification window closes.
    public func acceptsImplementerWork(on day: CalendarDay, status: ReportStatus?, extendedUntil: CalendarDay? = nil) -> Bool {
        if status == .clarificationRequested, day >= reportOpens, day <= verifyCloses { return true }
        return acceptsReports(on: day, extendedUntil: extendedUntil)
    }

    /// The secretariat scores and asks for clarification inside the verification window only; to score late it
    /// moves the window, which the audit history records.
    public func acceptsVerification(on day: CalendarDay) -> Bool { (verifyOpens...verifyCloses).contains(day) }

    /// Whether nothing can happen in this window any more on `day`: verification is over and no reopening runs on.
    public func isClosed(on day: CalendarDay, extensions: [CalendarDay] = []) -> Bool {
        day > verifyCloses && extensions.allSatisfy { day > $0 }
    }
}
