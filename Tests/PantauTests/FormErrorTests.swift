import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// A form that breaks a rule comes back as the same form: what was typed, the message beside its field, the status
/// that says why, and nothing written. (The report form has its own tests in ReportFormTests.)
@Suite("Errors on the form")
struct FormErrorTests {
    @Test(arguments: TestDatabase.allCases)
    func aProposalWithoutItsProblemKeepsEverythingTyped(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let code = "rencana-cadangan-2033-2034"
            _ = try await CoCreationTests.draftWithProposal(app, code: code)
            let cso = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            _ = try await cso.get(SiteURL.proposalNew.path(code))
            var form = CoCreationTests.proposalForm(title: "Kanal aduan <terpadu>")
            form["problem"] = "  "
            let answer = try await cso.post(SiteURL.proposals.path(code), form: form)
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains(#"<p class="field-error" id="problem-error">Permasalahan publik wajib diisi.</p>"#))
            #expect(answer.text.contains(#"name="problem" required maxlength="10000" aria-invalid="true""#))
            #expect(answer.text.contains(#"value="Kanal aduan &lt;terpadu&gt;""#))
            #expect(answer.text.contains(">Terbitnya 4 laporan triwulanan tindak lanjut aduan</textarea>"))
            #expect(answer.text.contains(">Laporan tindak lanjut aduan</textarea>"))
            #expect(try await ProposalModel.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aCommentWithoutANameKeepsItsText(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let plan = "rencana-cadangan-2033-2034"
            let (secretariat, proposal) = try await CoCreationTests.draftWithProposal(app, code: plan)
            try await ProposalService.recordStage(proposalID: proposal, stage: .adopted, date: "2032-09-02", meetingID: nil, note: "Disepakati.",
                                                  mergedIntoID: nil, by: secretariat, on: app.db, now: app.clock.now())
            let visitor = TestBrowser(app: app)
            _ = try await visitor.get(SiteURL.commitmentComment.path(plan, 1))
            let answer = try await visitor.post(SiteURL.commitmentComment.path(plan, 1), form: ["name": " ", "body": "Mohon target diperjelas."])
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains(#"id="name-error">Tuliskan nama Anda.</p>"#))
            #expect(answer.text.contains(">Mohon target diperjelas.</textarea>"))
            #expect(try await ConsultationCommentModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aScoreThatIsNoNumberStaysOnTheReportPage(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (seknas, implementerA, _, path) = try await ReportingCycleTests.openReport(app)
            _ = try await implementerA.postAndFollow(path, form: ["achievement": "Selesai.", "progress": "100"])
            _ = try await implementerA.postAndFollow(path, form: ["action": "submit"])
            try await ReportingCycleTests.startVerification(app)
            let report = try #require(try await TargetReportModel.query(on: app.db).first())
            _ = try await seknas.get(SiteURL.verifyReport.path(try report.requireID()))
            let answer = try await seknas.post(SiteURL.verifyScore.path(try report.requireID()), form: ["score": "delapan puluh"])
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains(#"id="score-error""#))
            #expect(answer.text.contains(#"value="delapan puluh" aria-invalid="true""#))
            // Not applicable without its reason: the message beside the reason.
            let noReason = try await seknas.post(SiteURL.verifyScore.path(try report.requireID()), form: ["notApplicable": "on", "reason": ""])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains(#"id="reason-error""#))
            #expect(noReason.text.contains(#"name="notApplicable" checked"#))
            // A clarification left empty: the message beside that form's field, not the score's.
            let empty = try await seknas.post(SiteURL.verifyClarify.path(try report.requireID()), form: ["body": " "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains(#"id="clarify-error""#))
            #expect(!empty.text.contains(#"id="score-error""#))
            #expect(try await TargetReportModel.find(report.requireID(), on: app.db)?.status == .submitted)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func minutesWithoutParticipantsKeepWhatWasTyped(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            _ = try await seknas.get(SiteURL.meetingNew.path())
            let before = try await MeetingModel.query(on: app.db).count()
            let answer = try await seknas.post(SiteURL.meetings.path(), form: [
                "plan": "contoh-2030-2032", "title": "Rapat koordinasi B06", "date": "2031-07-01", "agenda": "Pembukaan\nLaporan", "participants": "",
            ])
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains(#"id="participants-error""#))
            #expect(answer.text.contains(#"value="Rapat koordinasi B06""#))
            #expect(answer.text.contains(">Pembukaan\nLaporan</textarea>"))
            #expect(answer.text.contains(#"<option value="contoh-2030-2032" selected>"#))
            #expect(try await MeetingModel.query(on: app.db).count() == before)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aWindowThatEndsBeforeItOpensIsShownAgainAsTyped(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$code == "B06").first())
            _ = try await seknas.get(SiteURL.adminSemesters.path())
            let answer = try await seknas.post(SiteURL.semesterWindow.path(try semester.requireID()), form: [
                "reportOpens": "2031-07-10", "reportCloses": "2031-07-01", "verifyOpens": "2031-07-11", "verifyCloses": "2031-07-20",
            ])
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains(#"id="window-error-\#(try semester.requireID().uuidString)""#))
            #expect(answer.text.contains(#"value="2031-07-10""#) && answer.text.contains(#"value="2031-07-01""#))
            #expect(try await ReportingWindowModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRefusedStageANewPlanAndAnAssessmentKeepWhatWasTyped(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let (_, proposal) = try await CoCreationTests.draftWithProposal(app, code: "rencana-cadangan-2033-2034")
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)

            // A final stage without its reason.
            _ = try await seknas.get(SiteURL.proposal.path(proposal))
            let stage = try await seknas.post(SiteURL.proposalStages.path(proposal), form: ["stage": "dropped", "date": "2032-08-17", "note": " "])
            #expect(stage.status == .unprocessableEntity)
            #expect(stage.text.contains(#"id="stage-error""#))
            #expect(stage.text.contains(#"value="2032-08-17""#))
            #expect(stage.text.contains(#"<option value="dropped" selected>"#))

            // A new plan whose start is no month.
            _ = try await seknas.get(SiteURL.cocreation.path())
            let plan = try await seknas.post(SiteURL.cocreationPlans.path(), form: ["code": "ran-baru-2040", "title": "Rencana Baru", "start": "2040-13"])
            #expect(plan.status == .unprocessableEntity)
            #expect(plan.text.contains(#"id="new-plan-error""#))
            #expect(plan.text.contains(#"value="Rencana Baru""#) && plan.text.contains(#"value="ran-baru-2040""#))
            #expect(try await ActionPlanModel.query(on: app.db).filter(\.$code == "ran-baru-2040").count() == 0)

            // An override that is no number, on the sample plan's B06 assessments.
            let commitment = try #require(try await CommitmentModel.query(on: app.db).filter(\.$number == 1).first())
            _ = try await seknas.get(SiteURL.verifyAssessments.path("contoh-2030-2032", "B06"))
            let assessed = try await seknas.post(SiteURL.verifyAssess.path("contoh-2030-2032", "B06", try commitment.requireID()),
                                                 form: ["scoreOverride": "tujuh puluh", "overrideReason": "Bukti kuat.", "justification": "Dibahas bersama."])
            #expect(assessed.status == .unprocessableEntity)
            #expect(assessed.text.contains(#"id="error-1""#))
            #expect(assessed.text.contains(#"value="tujuh puluh""#) && assessed.text.contains(">Dibahas bersama.</textarea>"))
        }
    }

    /// Notes longer than the report takes were cut without a word before; now they are refused and kept as typed.
    @Test(arguments: TestDatabase.allCases)
    func notesTooLongAreRefusedNotCut(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            _ = try await seknas.get(SiteURL.evaluation.path("contoh-2030-2032").with(query: [("period", "B06")]))
            let long = String(repeating: "temuan ", count: 3_000)
            let answer = try await seknas.post(SiteURL.evaluationNotes.path("contoh-2030-2032").with(query: [("period", "B06")]),
                                               form: ["highlights": "Sorotan singkat.", "findings": long, "followUps": ""])
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.text.contains(#"id="findings-error""#))
            #expect(answer.text.contains(long.trimmingCharacters(in: .whitespaces)))
            #expect(answer.text.contains(">Sorotan singkat.</textarea>"))
            #expect(try await EvaluationNoteModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aTokenAnAdoptionAndAModerationThatAreRefusedStayOnTheirForms(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)

            // A token named with spaces only.
            let token = try await seknas.post(SiteURL.accountTokens.path(), form: ["name": "   "])
            #expect(token.status == .unprocessableEntity)
            #expect(token.text.contains(#"id="name-error""#))
            #expect(try await APITokenModel.query(on: app.db).count() == 0)

            // Adopting a draft plan without commitments: refused, the note kept.
            let empty = "rencana-kosong-2035-2036"
            _ = try await DraftPlanService.create(code: empty, title: "Rencana Kosong", start: YearMonth(iso: "2035-01")!, months: 24, scheme: "ogi",
                                                  actor: AuditActor(id: nil, name: "uji"), on: app.db)
            _ = try await seknas.get(SiteURL.cocreationPlan.path(empty))
            let adopt = try await seknas.post(SiteURL.cocreationAdopt.path(empty), form: ["note": "Keputusan Menteri Nomor 9"])
            #expect(adopt.status == .conflict)
            #expect(adopt.text.contains(#"id="adopt-error""#))
            #expect(adopt.text.contains(">Keputusan Menteri Nomor 9</textarea>"))

            // A response longer than a comment may be: refused beside that comment, the text kept.
            let plan = "rencana-cadangan-2033-2034"
            let (secretariat, proposal) = try await CoCreationTests.draftWithProposal(app, code: plan)
            try await ProposalService.recordStage(proposalID: proposal, stage: .adopted, date: "2032-09-02", meetingID: nil, note: "Disepakati.",
                                                  mergedIntoID: nil, by: secretariat, on: app.db, now: app.clock.now())
            _ = try await ConsultationService.comment(planCode: plan, number: 1, name: "Warga", organisation: "", body: "Setuju.", user: nil,
                                                      address: "192.0.2.1", on: app.db)
            let comment = try #require(try await ConsultationCommentModel.query(on: app.db).first())
            _ = try await seknas.get(SiteURL.cocreationComments.path(plan))
            let long = String(repeating: "tanggapan ", count: ConsultationService.maximumLength / 5)
            let moderated = try await seknas.post(SiteURL.commentModerate.path(try comment.requireID()),
                                                  form: ["status": "published", "response": "noted", "responseText": long])
            #expect(moderated.status == .unprocessableEntity)
            #expect(moderated.text.contains(#"id="error-\#(try comment.requireID().uuidString)""#))
            #expect(moderated.text.contains(long.trimmingCharacters(in: .whitespaces)))
            #expect(try await ConsultationCommentModel.find(comment.requireID(), on: app.db)?.status == .pending)
        }
    }
}
