import PantauDomain
import Testing

/// Issue 16: deadlines are counted in working days, Monday to Friday less holidays and collective leave.
@Suite("Working days")
struct WorkingDaysTests {
    func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

    @Test func weekendsAreSaturdayAndSunday() {
        // 2031-07-05 is a Saturday, 2031-07-07 a Monday; 1969-12-28 (before day number 0) a Sunday.
        #expect(WorkingCalendar.isWeekend(day("2031-07-05")) && WorkingCalendar.isWeekend(day("2031-07-06")))
        #expect(!WorkingCalendar.isWeekend(day("2031-07-07")) && !WorkingCalendar.isWeekend(day("2031-07-04")))
        #expect(WorkingCalendar.isWeekend(day("1969-12-28")) && !WorkingCalendar.isWeekend(day("1969-12-29")))
        #expect(!WorkingCalendar.isWeekend(day("1970-01-01")), "a Thursday")
    }

    @Test func addingSkipsWeekendsAndDaysOff() {
        let plain = WorkingCalendar(days: [])
        // Five working days after a Friday: the next Friday.
        #expect(plain.adding(workingDays: 5, to: day("2031-07-04")).iso == "2031-07-11")
        // From a Saturday, the first working day is Monday.
        #expect(plain.adding(workingDays: 1, to: day("2031-07-05")).iso == "2031-07-07")
        #expect(plain.adding(workingDays: 0, to: day("2031-07-05")).iso == "2031-07-05")
        // Three working days before a Tuesday deadline: the Thursday before.
        #expect(plain.adding(workingDays: -3, to: day("2031-07-08")).iso == "2031-07-03")
        // Independence Day (a Sunday in 2031) changes nothing; a holiday on a Tuesday moves the deadline by one.
        let holidays = WorkingCalendar(daysOff: [DayOff(day: day("2031-08-17"), name: "Hari Kemerdekaan", kind: .holiday),
                                                 DayOff(day: day("2031-07-08"), name: "Libur uji", kind: .collectiveLeave)])
        #expect(holidays.adding(workingDays: 5, to: day("2031-08-15")).iso == "2031-08-22")
        #expect(holidays.adding(workingDays: 5, to: day("2031-07-04")).iso == "2031-07-14")
        #expect(!holidays.isWorkingDay(day("2031-07-08")) && holidays.isWorkingDay(day("2031-07-09")))
    }

    @Test func countingMatchesAdding() {
        let calendar = WorkingCalendar(days: [day("2031-07-08"), day("2031-12-25"), day("2031-12-26"), day("2032-01-01")])
        var start = day("2031-06-27")
        for offset in 0..<200 {
            for count in [0, 1, 3, 5, 12] {
                let end = calendar.adding(workingDays: count, to: start)
                #expect(calendar.workingDays(after: start, through: end) == count, "\(start) + \(count) = \(end)")
            }
            start = start.adding(days: offset % 3 + 1)
        }
        #expect(calendar.workingDays(after: day("2031-07-10"), through: day("2031-07-01")) == 0)
    }
}
