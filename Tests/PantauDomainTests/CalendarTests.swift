import PantauDomain
import Testing

@Suite("Months, days and semesters")
struct CalendarTests {
    @Test func standardSemestersOfATwoYearPlan() {
        let semesters = Semester.schedule(startingIn: YearMonth(iso: "2021-01")!, months: 24)
        #expect(semesters.map(\.code) == ["B06", "B12", "B18", "B24"])
        #expect(semesters.map(\.month) == [6, 12, 18, 24])
        #expect(semesters.map(\.startDay.iso) == ["2021-01-01", "2021-07-01", "2022-01-01", "2022-07-01"])
        #expect(semesters.map(\.endDay.iso) == ["2021-06-30", "2021-12-31", "2022-06-30", "2022-12-31"])
    }

    @Test func semesterCodes() {
        #expect(Semester.code(forMonth: 6) == "B06")
        #expect(Semester.code(forMonth: 24) == "B24")
        #expect(Semester.month(fromCode: "B18") == 18)
        #expect(Semester.month(fromCode: "S18") == nil)
        #expect(Semester.month(fromCode: "B1") == nil)
        #expect(Semester.month(fromCode: "B00") == nil)
    }

    @Test func monthsParseAndAdd() {
        #expect(YearMonth(iso: "2021-12")?.adding(months: 1).iso == "2022-01")
        #expect(YearMonth(iso: "2021-01")?.adding(months: -1).iso == "2020-12")
        #expect(YearMonth(iso: "2021-13") == nil)
        #expect(YearMonth(iso: "21-01") == nil)
        #expect(YearMonth(iso: "2021-1") == nil)
        #expect(YearMonth(iso: "2021-01")! < YearMonth(iso: "2021-02")!)
    }

    @Test func daysKnowLeapYears() {
        #expect(CalendarDay(iso: "2024-02-29") != nil)
        #expect(CalendarDay(iso: "2023-02-29") == nil)
        #expect(CalendarDay(iso: "1900-02-29") == nil)
        #expect(CalendarDay(iso: "2000-02-29") != nil)
        #expect(CalendarDay(iso: "2021-04-31") == nil)
        #expect(YearMonth(iso: "2022-02")?.lastDay.iso == "2022-02-28")
    }

    @Test func planCodes() {
        #expect(PlanCode.isValid("ran-ogi-2020-2022"))
        #expect(!PlanCode.isValid("RAN-OGI"))
        #expect(!PlanCode.isValid("ran ogi"))
        #expect(!PlanCode.isValid("-ran"))
        #expect(!PlanCode.isValid("ran-"))
        #expect(!PlanCode.isValid("ran--ogi"))
        #expect(!PlanCode.isValid("r"))
        #expect(!PlanCode.isValid("2020-plan"))
    }
}

@Suite("Day arithmetic")
struct DayArithmeticTests {
    @Test func addingDaysAcrossMonthsYearsAndLeapDays() {
        #expect(CalendarDay(iso: "2021-12-31")!.adding(days: 1).iso == "2022-01-01")
        #expect(CalendarDay(iso: "2024-02-28")!.adding(days: 1).iso == "2024-02-29")
        #expect(CalendarDay(iso: "2023-02-28")!.adding(days: 1).iso == "2023-03-01")
        #expect(CalendarDay(iso: "2021-03-01")!.adding(days: -1).iso == "2021-02-28")
        #expect(CalendarDay(iso: "1970-01-01")!.dayNumber == 0)
        #expect(CalendarDay(iso: "2000-03-01")!.dayNumber == 11_017)
        // Every day of four years round-trips through its number.
        var day = CalendarDay(iso: "2020-01-01")!
        for _ in 0..<1461 {
            let next = day.adding(days: 1)
            #expect(next.dayNumber == day.dayNumber + 1)
            #expect(next > day)
            #expect(CalendarDay(dayNumber: next.dayNumber) == next)
            day = next
        }
        #expect(day.iso == "2024-01-01")
    }
}
