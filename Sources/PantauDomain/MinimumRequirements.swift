import Foundation

/// OGP's minimum requirements for a plan's public record, computed from what Pantau holds, never typed in: results
/// published at least twice a year, at least two meetings a year with civil society that present results, and when
/// the public record was last updated.
public struct MinimumRequirements: Sendable, Equatable {
    /// How many times a year each must happen.
    public static let timesAYear = 2

    public enum State: String, Sendable, Equatable {
        /// The year is over (or it happened twice already) and it happened at least twice.
        case met
        /// The year is over and it happened fewer than twice.
        case notMet
        /// The year is not over and it has not happened twice yet.
        case inProgress
    }

    public struct Year: Sendable, Equatable {
        public let year: Int
        /// Semesters and years of the plan published in the year (a correction is not a publication).
        public let publications: Int
        /// Meetings of the plan with civil society that presented results, with published minutes, held in the year.
        public let resultMeetings: Int
        public let publicationState: State
        public let meetingState: State
    }

    /// The plan's years up to the current one, oldest first.
    public let years: [Year]
    /// The latest change to what the public sees of the plan; nil when nothing is public yet.
    public let lastUpdated: Date?

    /// - Parameters:
    ///   - planYears: the calendar years the plan runs through.
    ///   - today: the day it is in Jakarta; years after it are left out, its own year is in progress.
    ///   - publications: the days (Jakarta) the plan's periods were published.
    ///   - resultMeetings: the days of the plan's published meetings with civil society that presented results.
    ///   - publicChanges: when anything public of the plan changed.
    public init(planYears: ClosedRange<Int>, today: CalendarDay, publications: [CalendarDay], resultMeetings: [CalendarDay],
                publicChanges: [Date]) {
        func state(_ count: Int, year: Int) -> State {
            if count >= Self.timesAYear { return .met }
            return year < today.year ? .notMet : .inProgress
        }
        years = planYears.filter { $0 <= today.year }.map { year in
            let published = publications.filter { $0.year == year }.count
            let meetings = resultMeetings.filter { $0.year == year }.count
            return Year(year: year, publications: published, resultMeetings: meetings, publicationState: state(published, year: year),
                        meetingState: state(meetings, year: year))
        }
        lastUpdated = publicChanges.max()
    }

    public func year(_ year: Int) -> Year? { years.first { $0.year == year } }
}
