import Foundation
import PantauDomain
import Testing

@Suite("Co-creation timeline")
struct CoCreationTimelineTests {
    let today = CalendarDay(iso: "2025-03-10")!

    func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

    /// A timeline planned in order, with the call done and the review under way.
    var planned: CoCreationTimeline {
        var timeline = CoCreationTimeline()
        timeline[.callForProposals] = PhaseDates(plannedStart: day("2025-02-01"), plannedEnd: day("2025-02-28"),
                                                 actualStart: day("2025-02-03"), actualEnd: day("2025-03-01"))
        timeline[.review] = PhaseDates(plannedStart: day("2025-03-01"), plannedEnd: day("2025-03-31"), actualStart: day("2025-03-05"))
        timeline[.consultation] = PhaseDates(plannedStart: day("2025-05-01"), plannedEnd: day("2025-05-31"))
        timeline[.adoption] = PhaseDates(plannedStart: day("2025-07-01"))
        return timeline
    }

    @Test func aTimelinePlannedInOrderHasNoProblem() {
        #expect(planned.problems(today: today).isEmpty)
        #expect(planned.open(on: today) == [.review])
        #expect(planned.open(on: day("2025-02-10")) == [.callForProposals])
        #expect(planned.open(on: day("2025-03-02")).isEmpty)
    }

    @Test func wrongDatesAreNamedByPhaseAndField() {
        var timeline = planned
        timeline[.consultation].plannedEnd = day("2025-04-30")
        #expect(timeline.problems(today: today) == [TimelineProblem(phase: .consultation, field: "plannedEnd", kind: .endBeforeStart)])

        timeline = planned
        timeline[.review].actualEnd = day("2025-03-04")
        #expect(timeline.problems(today: today) == [TimelineProblem(phase: .review, field: "actualEnd", kind: .endBeforeStart)])

        timeline = planned
        timeline[.finalisation] = PhaseDates(actualEnd: day("2025-03-01"))
        #expect(timeline.problems(today: today) == [TimelineProblem(phase: .finalisation, field: "actualEnd", kind: .endWithoutStart)])

        timeline = planned
        timeline[.review].actualEnd = day("2025-03-11")
        #expect(timeline.problems(today: today) == [TimelineProblem(phase: .review, field: "actualEnd", kind: .inTheFuture)])

        // Phases are planned in their order: a consultation before the review is refused, naming the review.
        timeline = planned
        timeline[.consultation].plannedStart = day("2025-02-15")
        timeline[.consultation].plannedEnd = day("2025-02-28")
        #expect(timeline.problems(today: today) == [TimelineProblem(phase: .consultation, field: "plannedStart", kind: .beforePreviousPhase(.review))])
    }

    @Test func itIsStoredInPhaseOrder() throws {
        let encoded = String(decoding: try JSONEncoder().encode(planned), as: UTF8.self)
        let positions = ["call_for_proposals", "review", "consultation", "adoption"].compactMap { encoded.range(of: "\"\($0)\"")?.lowerBound }
        #expect(positions.count == 4 && positions == positions.sorted())
        #expect(try JSONDecoder().decode(CoCreationTimeline.self, from: Data(encoded.utf8)) == planned)
    }
}
