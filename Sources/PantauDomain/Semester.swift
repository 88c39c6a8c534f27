/// One reporting semester of a plan: `B06` ends six months into the plan, `B24` at its end.
public struct Semester: Hashable, Codable, Sendable {
    /// `B` followed by the plan month the semester ends in, two digits: `B06`, `B12`, `B18`, `B24`.
    public let code: String
    /// The plan month (1-based) the semester ends in.
    public let month: Int
    public let startDay: CalendarDay
    public let endDay: CalendarDay

    public init(code: String, month: Int, startDay: CalendarDay, endDay: CalendarDay) {
        self.code = code
        self.month = month
        self.startDay = startDay
        self.endDay = endDay
    }

    public static func code(forMonth month: Int) -> String {
        month < 10 ? "B0\(month)" : "B\(month)"
    }

    /// The plan month a code such as `B18` names, or nil when the text is not a semester code.
    public static func month(fromCode code: String) -> Int? {
        guard code.count == 3, code.first == "B", let month = Int(code.dropFirst()), month > 0 else { return nil }
        return month
    }

    /// The semesters of a plan that starts in `start` and runs `months` months, one every six months.
    public static func schedule(startingIn start: YearMonth, months: Int, step: Int = 6) -> [Semester] {
        stride(from: step, through: months, by: step).map { month in
            Semester(
                code: code(forMonth: month),
                month: month,
                startDay: start.adding(months: month - step).firstDay,
                endDay: start.adding(months: month - 1).lastDay
            )
        }
    }
}
