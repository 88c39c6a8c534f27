import PantauDomain
import Testing

/// The report life cycle and its windows: who may do what to a report, when.
@Suite("Report life cycle")
struct ReportLifecycleTests {
    typealias Refusal = ReportLifecycle.Refusal

    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

    /// Reporting 6-16 December, verification 17-23 December 2021.
    static let window = try! ReportingWindow(reportOpens: day("2021-12-06"), reportCloses: day("2021-12-16"),
                                             verifyOpens: day("2021-12-17"), verifyCloses: day("2021-12-23"))

    @Test func aReportWalksDraftSubmittedClarificationSubmittedScored() throws {
        var status: ReportStatus? = nil
        status = try ReportLifecycle.apply(.edit, to: status, semesterPublished: false).status
        #expect(status == .draft)
        status = try ReportLifecycle.apply(.submit, to: status, semesterPublished: false).status
        #expect(status == .submitted)
        #expect(throws: Refusal.frozen) { try ReportLifecycle.apply(.edit, to: .submitted, semesterPublished: false) }
        status = try ReportLifecycle.apply(.requestClarification, to: status, semesterPublished: false).status
        #expect(status == .clarificationRequested)
        status = try ReportLifecycle.apply(.edit, to: status, semesterPublished: false).status
        #expect(status == .clarificationRequested)
        status = try ReportLifecycle.apply(.submit, to: status, semesterPublished: false).status
        #expect(status == .submitted)
        let scored = try ReportLifecycle.apply(.score, to: status, semesterPublished: false)
        #expect(scored.status == .scored)
        #expect(!scored.isCorrection)
        // Scoring again before publication is an ordinary change.
        #expect(try ReportLifecycle.apply(.score, to: .scored, semesterPublished: false).isCorrection == false)
    }

    @Test func nothingToSubmitIsNotAFrozenReport() {
        #expect(throws: Refusal.nothingToSubmit) { try ReportLifecycle.apply(.submit, to: nil, semesterPublished: false) }
    }

    @Test("Only handed-in reports are scored or questioned", arguments: [ReportStatus.draft, .clarificationRequested])
    func onlyHandedInReports(status: ReportStatus) {
        #expect(throws: Refusal.notSubmitted) { try ReportLifecycle.apply(.score, to: status, semesterPublished: false) }
        #expect(throws: Refusal.clarifyOnlySubmitted) { try ReportLifecycle.apply(.requestClarification, to: status, semesterPublished: false) }
        #expect(throws: Refusal.notSubmitted) { try ReportLifecycle.apply(.score, to: nil, semesterPublished: false) }
        #expect(throws: Refusal.clarifyOnlySubmitted) { try ReportLifecycle.apply(.requestClarification, to: .scored, semesterPublished: false) }
    }

    @Test("Publication freezes every report", arguments: [nil, ReportStatus.draft, .submitted, .clarificationRequested, .scored])
    func publicationFreezes(status: ReportStatus?) {
        #expect(throws: Refusal.semesterPublished) { try ReportLifecycle.apply(.edit, to: status, semesterPublished: true) }
        #expect(throws: Refusal.semesterPublished) { try ReportLifecycle.apply(.submit, to: status, semesterPublished: true) }
        #expect(throws: Refusal.semesterPublished) { try ReportLifecycle.apply(.requestClarification, to: status, semesterPublished: true) }
    }

    @Test func afterPublicationAScoreIsACorrectionWithAReason() throws {
        #expect(throws: Refusal.correctionReasonRequired) { try ReportLifecycle.apply(.score, to: .scored, semesterPublished: true) }
        #expect(throws: Refusal.correctionReasonRequired) {
            try ReportLifecycle.apply(.score, to: .scored, semesterPublished: true, correctionReason: "  \n")
        }
        let corrected = try ReportLifecycle.apply(.score, to: .scored, semesterPublished: true, correctionReason: "Bukti baru diterima")
        #expect(corrected.status == .scored)
        #expect(corrected.isCorrection)
        // A report handed in but not scored before publication can be scored only as a correction.
        #expect(try ReportLifecycle.apply(.score, to: .submitted, semesterPublished: true, correctionReason: "Terlambat dinilai").isCorrection)
        #expect(throws: Refusal.notSubmitted) { try ReportLifecycle.apply(.score, to: .draft, semesterPublished: true, correctionReason: "x") }
    }

    @Test func stagesAsThePublicSeesThem() {
        #expect(ReportLifecycle.stage(of: nil, semesterPublished: true, corrections: 0) == .notReported)
        #expect(ReportLifecycle.stage(of: .draft, semesterPublished: false, corrections: 0) == .draft)
        #expect(ReportLifecycle.stage(of: .scored, semesterPublished: false, corrections: 0) == .scored)
        #expect(ReportLifecycle.stage(of: .scored, semesterPublished: true, corrections: 0) == .published)
        #expect(ReportLifecycle.stage(of: .scored, semesterPublished: true, corrections: 2) == .corrected)
        #expect(ReportLifecycle.stage(of: .clarificationRequested, semesterPublished: true, corrections: 0) == .clarificationRequested)
    }

    @Test func onlyVerifiedReportsArePublic() {
        #expect(ReportLifecycle.isPublic(.scored, semesterPublished: true))
        #expect(!ReportLifecycle.isPublic(.scored, semesterPublished: false))
        for status in [ReportStatus.draft, .submitted, .clarificationRequested] {
            #expect(!ReportLifecycle.isPublic(status, semesterPublished: true))
        }
    }

    @Test func lateMarks() {
        let window = Self.window
        #expect(!ReportLifecycle.isLate(previousStatus: .draft, wasLate: false, window: window, on: Self.day("2021-12-16")))
        #expect(ReportLifecycle.isLate(previousStatus: .draft, wasLate: false, window: window, on: Self.day("2021-12-17")))
        #expect(ReportLifecycle.isLate(previousStatus: nil, wasLate: false, window: window, on: Self.day("2022-01-05")))
        // Answering a clarification in the verification window is not late; a late report stays late.
        #expect(!ReportLifecycle.isLate(previousStatus: .clarificationRequested, wasLate: false, window: window, on: Self.day("2021-12-20")))
        #expect(ReportLifecycle.isLate(previousStatus: .clarificationRequested, wasLate: true, window: window, on: Self.day("2021-12-20")))
    }

    @Test func windowsDayByDay() {
        let window = Self.window
        let reopened = Self.day("2021-12-28")
        // Walk from 1 December to 5 January.
        var day = Self.day("2021-12-01")
        while day <= Self.day("2022-01-05") {
            let reporting = day >= Self.day("2021-12-06") && day <= Self.day("2021-12-16")
            let verifying = day >= Self.day("2021-12-17") && day <= Self.day("2021-12-23")
            #expect(window.acceptsReports(on: day) == reporting, "\(day)")
            #expect(window.acceptsImplementerWork(on: day, status: .draft) == reporting, "\(day)")
            #expect(window.acceptsImplementerWork(on: day, status: .clarificationRequested) == (reporting || verifying), "\(day)")
            #expect(window.acceptsImplementerWork(on: day, status: .draft, extendedUntil: reopened)
                        == (day >= Self.day("2021-12-06") && day <= reopened), "\(day)")
            #expect(window.acceptsVerification(on: day) == verifying, "\(day)")
            #expect(window.isClosed(on: day) == (day > Self.day("2021-12-23")), "\(day)")
            #expect(window.isClosed(on: day, extensions: [reopened]) == (day > reopened), "\(day)")
            day = day.adding(days: 1)
        }
    }

    @Test func aReportBelongsToWhoWroteItAndAnUnreportedTargetToTheMeasuresHolder() {
        // Written by the agency, the measure since given to the CSO: still the agency's.
        #expect(ReportLifecycle.owner(writtenBy: "kck", measureResponsible: "pwc") == "kck")
        // Nobody has reported: the measure's responsible organisation starts it.
        #expect(ReportLifecycle.owner(writtenBy: String?.none, measureResponsible: "pwc") == "pwc")
    }
}
