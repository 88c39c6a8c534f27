import Foundation

/// What the secretariat must see before publishing a period (a semester or a year): how complete its results
/// are. Publishing something incomplete is allowed, but only with a reason that is kept and shown with the results.
public struct PublicationCheck: Hashable, Sendable {
    public struct CommitmentCoverage: Hashable, Sendable {
        public let number: Int
        public let title: String
        public let coverage: Coverage

        public init(number: Int, title: String, coverage: Coverage) {
            self.number = number
            self.title = title
            self.coverage = coverage
        }
    }

    /// A semester whose windows do not let it be published cleanly yet.
    public struct OpenWindow: Hashable, Sendable {
        public let semester: String
        /// The last day anything can still happen: the verification window's end or a later reopening; nil when no window was set.
        public let closes: CalendarDay?

        public init(semester: String, closes: CalendarDay?) {
            self.semester = semester
            self.closes = closes
        }
    }

    public enum Problem: String, Error, Sendable {
        /// Something is incomplete and no reason was given.
        case reasonRequired = "publication.reason_required"
        case alreadyPublished = "publication.already_published"
    }

    public let commitments: [CommitmentCoverage]
    /// Reports sent back for clarification and not handed in again.
    public let openClarifications: Int
    /// Semesters of the period whose windows are not closed (or were never set).
    public let openWindows: [OpenWindow]
    /// For a year: its semesters that are not yet published.
    public let unpublishedSemesters: [String]

    public init(commitments: [CommitmentCoverage], openClarifications: Int, openWindows: [OpenWindow], unpublishedSemesters: [String] = []) {
        self.commitments = commitments
        self.openClarifications = openClarifications
        self.openWindows = openWindows
        self.unpublishedSemesters = unpublishedSemesters
    }

    /// The windows of a period's semesters on `day`: a semester is open until its verification window and every
    /// reopening have passed, or when it has no window at all.
    public static func openWindows(_ windows: [(semester: String, window: ReportingWindow?, extensions: [CalendarDay])],
                                   on day: CalendarDay) -> [OpenWindow] {
        windows.compactMap { entry in
            guard let window = entry.window else { return OpenWindow(semester: entry.semester, closes: nil) }
            guard !window.isClosed(on: day, extensions: entry.extensions) else { return nil }
            return OpenWindow(semester: entry.semester, closes: ([window.verifyCloses] + entry.extensions).max())
        }
    }

    public var targets: Int { commitments.reduce(0) { $0 + $1.coverage.targets } }
    public var reported: Int { commitments.reduce(0) { $0 + $1.coverage.reported } }
    public var scored: Int { commitments.reduce(0) { $0 + $1.coverage.scored } }
    /// Commitments whose score rests on part of their targets.
    public var partialCommitments: [CommitmentCoverage] { commitments.filter { $0.coverage.isPartial } }

    public var isComplete: Bool {
        partialCommitments.isEmpty && openClarifications == 0 && openWindows.isEmpty && unpublishedSemesters.isEmpty
    }

    /// The reason kept with the publication: none when complete; required when not.
    public func publicationReason(_ reason: String) throws -> String {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if isComplete { return reason }
        guard !reason.isEmpty else { throw Problem.reasonRequired }
        return reason
    }
}
