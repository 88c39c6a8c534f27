import PantauDomain
import Testing

/// Who sees a history entry, and how its author is named.
@Suite("History visibility")
struct HistoryVisibilityTests {
    @Test func evaluationNotesWaitForTheirPeriodExceptForStaff() {
        let notes = HistoryVisibility.condition(action: "evaluation.notes", reason: "B12", after: #"["sorotan","temuan","tindak lanjut"]"#)
        #expect(notes == .periodPublished("B12"))
        for role: UserRole? in [nil, .implementer] {
            #expect(!HistoryVisibility.isVisible(notes, to: role.caller, plan: nil) { _ in false })
            #expect(!HistoryVisibility.isVisible(notes, to: role.caller, plan: nil) { $0 == "B06" })
            #expect(HistoryVisibility.isVisible(notes, to: role.caller, plan: nil) { $0 == "B12" })
        }
        for role: UserRole in [.secretariat, .reviewer] {
            #expect(HistoryVisibility.isVisible(notes, to: role.caller, plan: nil) { _ in false })
        }
        #expect(HistoryVisibility.condition(action: "evaluation.notes", reason: "2021", after: nil) == .periodPublished("2021"))
    }

    @Test func anAssessmentWaitsForThePeriodInItsState() {
        let after = #"{"coCreationJustification":"","overrideReason":"","period":"2021"}"#
        #expect(HistoryVisibility.condition(action: "assessment.set", reason: "", after: after) == .periodPublished("2021"))
        // A state without its period is never taken as published.
        let unreadable = HistoryVisibility.condition(action: "assessment.set", reason: "", after: "{}")
        #expect(!HistoryVisibility.isVisible(unreadable, to: nil, plan: nil) { _ in true })
    }

    @Test func staffNotesStayWithStaff() {
        let note = HistoryVisibility.condition(action: "report.staff_note", reason: "", after: #"{"body":"internal"}"#)
        #expect(note == .staffOnly)
        for role in [UserRole.secretariat, .reviewer] { #expect(HistoryVisibility.isVisible(note, to: role.caller, plan: nil) { _ in true }) }
        for role in [UserRole.implementer, nil] { #expect(!HistoryVisibility.isVisible(note, to: role.caller, plan: nil) { _ in true }) }
    }

    @Test func otherEntriesFollowTheirPage() {
        for action in ["plan.import", "plan.adopt", "year.publish", "report.submit", "result.correct", "commitment.revise"] {
            #expect(HistoryVisibility.condition(action: action, reason: "B12", after: nil) == .none)
            #expect(HistoryVisibility.isVisible(.none, to: nil, plan: nil) { _ in false })
        }
    }

    @Test func authorsLoseTheirAddressForEveryoneButTheSecretariat() {
        let stored = "Sari Sekretariat <sari@contoh.test>"
        #expect(HistoryActor.name(stored) == "Sari Sekretariat")
        #expect(HistoryActor.name("Pantau") == "Pantau")
        #expect(HistoryActor.name("A <b> <c@d.test>") == "A <b>")
        #expect(HistoryActor.shown(stored, organisation: nil, to: nil) == "Sari Sekretariat")
        #expect(HistoryActor.shown("Budi <budi@kck.test>", organisation: "KCK", to: UserRole.reviewer.caller) == "Budi (KCK)")
        #expect(HistoryActor.shown("Budi <budi@kck.test>", organisation: "KCK", to: UserRole.implementer.caller) == "Budi (KCK)")
        #expect(HistoryActor.shown(stored, organisation: nil, to: UserRole.secretariat.caller) == stored)
    }
}

/// What a history entry says changed, field by field.
@Suite("History differences")
struct HistoryDiffTests {
    typealias Change = HistoryDiff.Change

    @Test func onlyChangedFieldsAreListed() {
        let before = #"{"email":"budi@kck.test","name":"Budi","organisationID":null,"role":"reviewer"}"#
        let after = #"{"email":"budi@kck.test","name":"Budi S.","organisationID":"0F1E","role":"implementer"}"#
        #expect(HistoryDiff.changes(before: before, after: after) == [
            Change(field: "name", before: .text("Budi"), after: .text("Budi S.")),
            Change(field: "organisationID", before: .null, after: .text("0F1E")),
            Change(field: "role", before: .text("reviewer"), after: .text("implementer")),
        ])
        #expect(HistoryDiff.changes(before: before, after: before).isEmpty)
        // A nil value is left out of the stored state: between two states it reads as null, not as a new field.
        #expect(HistoryDiff.changes(before: #"{"name":"Budi"}"#, after: #"{"name":"Budi","organisationID":"0F1E"}"#) == [
            Change(field: "organisationID", before: .null, after: .text("0F1E")),
        ])
    }

    @Test func aCreationListsWhatTheObjectWasMadeWith() {
        let after = #"{"acronym":null,"kind":"civil_society","name":"Lembaga Baru"}"#
        #expect(HistoryDiff.changes(before: nil, after: after) == [
            Change(field: "kind", before: nil, after: .text("civil_society")),
            Change(field: "name", before: nil, after: .text("Lembaga Baru")),
        ])
        #expect(HistoryDiff.changes(before: after, after: nil).map(\.field) == ["kind", "name"])
        #expect(HistoryDiff.changes(before: nil, after: nil).isEmpty)
    }

    @Test func numbersBooleansAndTextStayApart() {
        let before = #"{"a":1,"b":true,"c":"1","d":2.5,"e":[1,"x"]}"#
        let after = #"{"a":true,"b":1,"c":1,"d":2.5,"e":[1,"y"]}"#
        #expect(HistoryDiff.changes(before: before, after: after) == [
            Change(field: "a", before: .number("1"), after: .bool(true)),
            Change(field: "b", before: .bool(true), after: .number("1")),
            Change(field: "c", before: .text("1"), after: .number("1")),
            Change(field: "e", before: .list([.number("1"), .text("x")]), after: .list([.number("1"), .text("y")])),
        ])
    }

    @Test func nestedObjectsBecomeDottedFields() {
        let before = #"{"after":{"category":"B","score":60},"period":"B12"}"#
        let after = #"{"after":{"category":"A","score":75},"period":"B12"}"#
        #expect(HistoryDiff.changes(before: before, after: after).map(\.field) == ["after.category", "after.score"])
    }

    @Test func aStateThatIsNoObjectIsOneField() {
        #expect(HistoryDiff.changes(before: nil, after: #""nilai 1""#) == [Change(field: "", before: nil, after: .text("nilai 1"))])
        #expect(HistoryDiff.changes(before: nil, after: "not json") == [Change(field: "", before: nil, after: .text("not json"))])
        #expect(HistoryDiff.Value.list([.text("a"), .number("2")]).plain == "a, 2")
    }
}

extension UserRole {
    /// An account of this role given every plan.
    var caller: Caller { Caller(role: self, organisationID: nil, plans: .all) }
}

extension Optional where Wrapped == UserRole {
    var caller: Caller? { self?.caller }
}
