import Foundation
import NIOConcurrencyHelpers
import PantauDomain
import Vapor

/// The application's own clock. Deadlines, windows and the dates of submissions, scores, publications and
/// corrections all read it, so a test (or a demonstration with `PANTAU_TODAY`) can set the day and walk a
/// semester through its windows without waiting or editing rows.
public final class AppClock: Sendable {
    /// Added to the system time; zero in normal operation.
    private let offset: NIOLockedValueBox<TimeInterval>

    public init(offset: TimeInterval = 0) {
        self.offset = NIOLockedValueBox(offset)
    }

    public func now() -> Date { Date().addingTimeInterval(offset.withLockedValue { $0 }) }

    /// Today in Jakarta time (WIB), where the plans' deadlines fall.
    public var today: CalendarDay { ReportingCalendar.day(of: now()) }

    /// Moves the clock so that it is now `day` in Jakarta, at the current time of day; time then runs on.
    public func set(today day: CalendarDay) {
        let shift = TimeInterval(day.dayNumber - ReportingCalendar.day(of: Date()).dayNumber) * 86_400
        offset.withLockedValue { $0 = shift }
    }

    /// Moves the clock so that it is now `moment`; time then runs on.
    public func set(now moment: Date) {
        offset.withLockedValue { $0 = moment.timeIntervalSince(Date()) }
    }

    /// Moves the clock forward (or back) by whole days.
    public func advance(days: Int) {
        advance(seconds: TimeInterval(days) * 86_400)
    }

    /// Moves the clock forward (or back): a retry's wait, a claim running out.
    public func advance(seconds: TimeInterval) {
        offset.withLockedValue { $0 += seconds }
    }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    public var clock: AppClock {
        get {
            if let clock = storage[ClockKey.self] { return clock }
            let clock = AppClock()
            storage[ClockKey.self] = clock
            return clock
        }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// The application's time, for everything the semester cycle dates.
    var now: Date { application.clock.now() }
    /// Today in Jakarta time by the application's clock.
    var today: CalendarDay { application.clock.today }
}
