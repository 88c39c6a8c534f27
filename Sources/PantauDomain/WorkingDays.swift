/// A day off on which government offices are closed: a national holiday or a collective leave day (cuti bersama).
public struct DayOff: Hashable, Codable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// Hari libur nasional.
        case holiday
        /// Cuti bersama: collective leave that the civil service takes together.
        case collectiveLeave = "collective_leave"
    }

    public let day: CalendarDay
    public let name: String
    public let kind: Kind

    public init(day: CalendarDay, name: String, kind: Kind) {
        self.day = day
        self.name = name
        self.kind = kind
    }
}

/// Working days in Indonesia's civil service: Monday to Friday, less national holidays and collective leave days.
/// Every deadline Pantau counts in working days (an answer to a clarification, a reminder before a window closes)
/// counts through this, on days in Jakarta's time (`ReportingCalendar`).
public struct WorkingCalendar: Sendable {
    public let daysOff: Set<CalendarDay>

    public init(daysOff: some Sequence<DayOff>) {
        self.daysOff = Set(daysOff.map(\.day))
    }

    public init(days: Set<CalendarDay>) {
        daysOff = days
    }

    /// Saturday and Sunday.
    public static func isWeekend(_ day: CalendarDay) -> Bool {
        day.weekday >= 5
    }

    public func isWorkingDay(_ day: CalendarDay) -> Bool {
        !Self.isWeekend(day) && !daysOff.contains(day)
    }

    /// The working day `count` working days after `day` (before it, when `count` is negative); `day` itself is not
    /// counted. Five working days after a request made on a Friday is the next Friday, or later over holidays.
    public func adding(workingDays count: Int, to day: CalendarDay) -> CalendarDay {
        var current = day
        var left = abs(count)
        let step = count < 0 ? -1 : 1
        // A year of days off in a row cannot happen; the bound keeps a wrong calendar from looping for long.
        var guardDays = abs(count) * 7 + 400
        while left > 0, guardDays > 0 {
            current = current.adding(days: step)
            if isWorkingDay(current) { left -= 1 }
            guardDays -= 1
        }
        return current
    }

    /// The working days after `start` up to and including `end` (0 when `end` is not after `start`): on the day a
    /// deadline `end` falls, "0 working days left".
    public func workingDays(after start: CalendarDay, through end: CalendarDay) -> Int {
        guard end > start else { return 0 }
        // Whole weeks have five weekdays each; only the remainder is walked.
        let span = end.dayNumber - start.dayNumber
        var count = (span / 7) * 5
        var day = start.adding(days: (span / 7) * 7)
        while day < end {
            day = day.adding(days: 1)
            if !Self.isWeekend(day) { count += 1 }
        }
        let holidays = daysOff.filter { $0 > start && $0 <= end && !Self.isWeekend($0) }.count
        return count - holidays
    }
}

extension CalendarDay {
    /// 0 for Monday ... 6 for Sunday. 1970-01-01 (day number 0) was a Thursday.
    public var weekday: Int { ((dayNumber % 7) + 7 + 3) % 7 }
}
