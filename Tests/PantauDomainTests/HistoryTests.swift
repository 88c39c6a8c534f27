import PantauDomain
import Testing

/// Who sees a history entry, and how its author is named.
@Suite("History visibility")
struct HistoryVisibilityTests {
    @Test func evaluationNotesWaitForTheirPeriodExceptForStaff() {
        let notes = HistoryVisibility.condition(action: "evaluation.notes", reason: "B12", after: #"["sorotan","temuan","tindak lanjut"]"#)
        #expect(notes == .periodPublished("B12"))
        for role: UserRole? in [nil, .implementer] {
            #expect(!HistoryVisibility.isVisible(notes, to: role) { _ in false })
            #expect(!HistoryVisibility.isVisible(notes, to: role) { $0 == "B06" })
            #expect(HistoryVisibility.isVisible(notes, to: role) { $0 == "B12" })
        }
        for role: UserRole in [.secretariat, .reviewer] {
            #expect(HistoryVisibility.isVisible(notes, to: role) { _ in false })
        }
        #expect(HistoryVisibility.condition(action: "evaluation.notes", reason: "2021", after: nil) == .periodPublished("2021"))
    }

    @Test func anAssessmentWaitsForThePeriodInItsState() {
        let after = #"{"coCreationJustification":"","overrideReason":"","period":"2021"}"#
        #expect(HistoryVisibility.condition(action: "assessment.set", reason: "", after: after) == .periodPublished("2021"))
        // A state without its period is never taken as published.
        let unreadable = HistoryVisibility.condition(action: "assessment.set", reason: "", after: "{}")
        #expect(!HistoryVisibility.isVisible(unreadable, to: nil) { _ in true })
    }

    @Test func staffNotesStayWithStaff() {
        let note = HistoryVisibility.condition(action: "report.staff_note", reason: "", after: #"{"body":"internal"}"#)
        #expect(note == .staffOnly)
        for role in [UserRole.secretariat, .reviewer] { #expect(HistoryVisibility.isVisible(note, to: role) { _ in true }) }
        for role in [UserRole.implementer, nil] { #expect(!HistoryVisibility.isVisible(note, to: role) { _ in true }) }
    }

    @Test func otherEntriesFollowTheirPage() {
        for action in ["plan.import", "plan.adopt", "year.publish", "report.submit", "result.correct", "commitment.revise"] {
            #expect(HistoryVisibility.condition(action: action, reason: "B12", after: nil) == .none)
            #expect(HistoryVisibility.isVisible(.none, to: nil) { _ in false })
        }
    }

    @Test func authorsLoseTheirAddressForEveryoneButTheSecretariat() {
        let stored = "Sari Sekretariat <sari@contoh.test>"
        #expect(HistoryActor.name(stored) == "Sari Sekretariat")
        #expect(HistoryActor.name("Pantau") == "Pantau")
        #expect(HistoryActor.name("A <b> <c@d.test>") == "A <b>")
        #expect(HistoryActor.shown(stored, organisation: nil, to: nil) == "Sari Sekretariat")
        #expect(HistoryActor.shown("Budi <budi@kck.test>", organisation: "KCK", to: .reviewer) == "Budi (KCK)")
        #expect(HistoryActor.shown("Budi <budi@kck.test>", organisation: "KCK", to: .implementer) == "Budi (KCK)")
        #expect(HistoryActor.shown(stored, organisation: nil, to: .secretariat) == stored)
    }
}
