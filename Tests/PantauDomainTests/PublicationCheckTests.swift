import PantauDomain
import Testing

/// Publishing is a checked step: what is incomplete is listed, and publishing it anyway takes a reason.
@Suite("Publication check")
struct PublicationCheckTests {
    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }
    static let window = try! ReportingWindow(reportOpens: day("2021-12-06"), reportCloses: day("2021-12-16"),
                                             verifyOpens: day("2021-12-17"), verifyCloses: day("2021-12-23"))
    static func commitment(_ number: Int, _ outcomes: [TargetOutcome]) -> PublicationCheck.CommitmentCoverage {
        .init(number: number, title: "Komitmen \(number)", coverage: Coverage(outcomes))
    }
    static let full = [TargetOutcome(reported: true, score: .points(80)), TargetOutcome(reported: true, score: .notApplicable)]

    @Test func aCompleteSemesterPublishesWithoutAReason() throws {
        let check = PublicationCheck(commitments: [Self.commitment(1, Self.full)], openClarifications: 0,
                                     openWindows: PublicationCheck.openWindows([("B12", Self.window, [])], on: Self.day("2021-12-24")))
        #expect(check.isComplete)
        #expect(try check.publicationReason("") == "")
        #expect(check.targets == 2 && check.reported == 2 && check.scored == 2)
    }

    @Test func onePartlyScoredCommitmentMakesItIncomplete() throws {
        let check = PublicationCheck(
            commitments: [Self.commitment(1, Self.full), Self.commitment(2, [TargetOutcome(reported: true, score: .points(80)), .notReported])],
            openClarifications: 0, openWindows: [])
        #expect(!check.isComplete)
        #expect(check.partialCommitments.map(\.number) == [2])
        #expect(throws: PublicationCheck.Problem.reasonRequired) { try check.publicationReason("   ") }
        #expect(try check.publicationReason(" Dua target tidak dilaporkan ") == "Dua target tidak dilaporkan")
    }

    @Test func openClarificationsAndUnpublishedSemestersMakeItIncomplete() {
        let clarifying = PublicationCheck(commitments: [Self.commitment(1, Self.full)], openClarifications: 1, openWindows: [])
        #expect(!clarifying.isComplete)
        let year = PublicationCheck(commitments: [Self.commitment(1, Self.full)], openClarifications: 0, openWindows: [],
                                    unpublishedSemesters: ["B12"])
        #expect(!year.isComplete)
    }

    @Test func windowsAreOpenUntilVerificationAndEveryReopeningHavePassed() {
        let reopened = Self.day("2021-12-30")
        #expect(PublicationCheck.openWindows([("B12", Self.window, [])], on: Self.day("2021-12-23"))
                    == [.init(semester: "B12", closes: Self.day("2021-12-23"))])
        #expect(PublicationCheck.openWindows([("B12", Self.window, [])], on: Self.day("2021-12-24")).isEmpty)
        #expect(PublicationCheck.openWindows([("B12", Self.window, [reopened])], on: Self.day("2021-12-24"))
                    == [.init(semester: "B12", closes: reopened)])
        #expect(PublicationCheck.openWindows([("B12", nil, [])], on: Self.day("2021-12-24")) == [.init(semester: "B12", closes: nil)])
        let check = PublicationCheck(commitments: [Self.commitment(1, Self.full)], openClarifications: 0,
                                     openWindows: PublicationCheck.openWindows([("B12", Self.window, [])], on: Self.day("2021-12-20")))
        #expect(!check.isComplete)
    }
}
