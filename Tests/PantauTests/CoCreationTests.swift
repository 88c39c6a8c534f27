import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// The path of SPEC.md §1 through the pages: a draft plan, a CSO's proposal through its stages, drafting with
/// target hints, public consultation with moderation, adoption, and revisions the public can compare.
@Suite("Co-creating the next plan")
struct CoCreationTests {
    static let code = "rencana-baru-2033-2034"

    static func proposalForm(title: String) -> [String: String] {
        [
            "title": title, "problem": "Aduan warga tidak ditindaklanjuti.", "commitment": "Membangun kanal aduan terpadu.",
            "howItSolves": "Aduan terlacak sampai selesai.", "rpjmn": "Sejalan dengan RPJMN 2025-2029.", "sdgTargets": "16.6, 16.7",
            "proposingOrganisations": "Perkumpulan Warga Contoh\nJaringan Pemantau Contoh", "agencies": "Kementerian Contoh Keterbukaan",
            "measures[0][text]": "Kanal aduan terpadu beroperasi",
            "measures[0][targets][B06]": "Sosialisasi kanal aduan",
            "measures[0][targets][B12]": "Tersedianya kanal aduan di 34 provinsi",
            "measures[1][text]": "Laporan tindak lanjut aduan",
            "measures[1][targets][B24]": "Terbitnya 4 laporan triwulanan tindak lanjut aduan",
            "measures[2][text]": "",
        ]
    }

    @Test(arguments: TestDatabase.allCases)
    func aProposalBecomesACommitmentOfTheAdoptedPlan(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let agency = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let cso = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            let reviewer = try await TestBrowser.signedIn(TestAccounts.reviewer, app: app)
            let visitor = TestBrowser(app: app)

            // The secretariat opens a draft plan; it is public from the start, marked as a draft.
            _ = try await seknas.get("/cocreation")
            let bad = try await seknas.post("/cocreation/plans", form: ["code": Self.code, "title": "Rencana Baru", "start": "2033-01", "months": "20"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("kelipatan 6"))
            let created = try await seknas.post("/cocreation/plans", form: ["code": Self.code, "title": "Rencana Aksi Baru 2033-2034",
                                                                            "start": "2033-01", "months": "24", "scheme": "ogi"])
            #expect(created.status == .seeOther)
            #expect(try await visitor.get("/plans").text.contains("Rancangan"))
            let plan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == Self.code).with(\.$semesters).first())
            #expect(plan.status == .draft)
            #expect(plan.semesters.map(\.code).sorted() == ["B06", "B12", "B18", "B24"])

            // Proposals only while the call is open, and only from a CSO.
            let closed = try await cso.post("/cocreation/plans/\(Self.code)/proposals", form: Self.proposalForm(title: "Kanal aduan terpadu"))
            #expect(closed.status == .conflict)
            #expect(closed.text.contains("sedang ditutup"))
            _ = try await seknas.get("/cocreation/plans/\(Self.code)")
            #expect(try await seknas.postAndFollow("/cocreation/plans/\(Self.code)/phases", form: ["proposals": "open", "consultation": "closed"]).status == .ok)
            _ = try await agency.get("/account")
            let fromAgency = try await agency.post("/cocreation/plans/\(Self.code)/proposals", form: Self.proposalForm(title: "Dari K/L"))
            #expect(fromAgency.status == .conflict)
            #expect(fromAgency.text.contains("akun sebuah OMS"))
            let form = try await cso.get("/cocreation/plans/\(Self.code)/proposals/new")
            #expect(form.text.contains("measures[0][targets][B24]"))
            var missing = Self.proposalForm(title: "Tanpa masalah")
            missing["problem"] = " "
            #expect(try await cso.post("/cocreation/plans/\(Self.code)/proposals", form: missing).text.contains("Permasalahan publik wajib diisi."))
            let submitted = try await cso.post("/cocreation/plans/\(Self.code)/proposals", form: Self.proposalForm(title: "Kanal aduan terpadu"))
            #expect(submitted.status == .seeOther)
            let proposalPath = try #require(submitted.headers.first(name: .location))
            _ = try await cso.get("/cocreation/plans/\(Self.code)")
            let second = try await cso.post("/cocreation/plans/\(Self.code)/proposals", form: Self.proposalForm(title: "Pelacakan aduan"))
            let secondPath = try #require(second.headers.first(name: .location))

            // Every proposal is public once submitted.
            #expect(try await cso.get(proposalPath).text.contains("Diajukan"))
            #expect(try await agency.get(proposalPath).status == .ok)
            #expect(try await visitor.get(proposalPath).text.contains("Kanal aduan terpadu"))
            #expect(try await reviewer.get(proposalPath).status == .ok)

            // The secretariat records the stages, with minutes and reasons.
            let meetingID = try await MeetingService.record(
                MeetingRecord(plan: Self.code, title: "Diskusi bilateral kanal aduan", date: CalendarDay(iso: "2032-08-03")!,
                              participants: [MeetingPerson(name: "Ani", organisation: "Perkumpulan Warga Contoh")]),
                attachments: [], published: true, store: nil, actor: .system, organisationID: nil, recorderID: nil, on: app.db)
            let proposalID = String(proposalPath.split(separator: "/").last!)
            let stagePath = "/proposals/\(proposalID)/stages"
            _ = try await seknas.get(proposalPath)
            #expect(try await seknas.post(stagePath, form: ["stage": "bilateral", "date": "2032-08-03", "meeting": meetingID.uuidString]).status == .seeOther)
            let dropped = try await seknas.post(stagePath, form: ["stage": "dropped", "date": "2032-08-04", "note": ""])
            #expect(dropped.status == .unprocessableEntity)
            #expect(dropped.text.contains("memerlukan alasan"))
            for stage in ["planning_alignment", "stakeholder_discussion", "finalisation"] {
                #expect(try await seknas.post(stagePath, form: ["stage": stage, "date": "2032-09-01"]).status == .seeOther)
            }
            let backwards = try await seknas.post(stagePath, form: ["stage": "bilateral", "date": "2032-09-02"])
            #expect(backwards.status == .conflict)
            #expect(try await cso.post(stagePath, form: ["stage": "adopted", "date": "2032-09-02", "note": "x"]).status == .forbidden)
            // A step dated before the step before it is refused, and the timeline stays as it was.
            let backdated = try await seknas.post(stagePath, form: ["stage": "adopted", "date": "2032-08-31", "note": "Disepakati."])
            #expect(backdated.status == .unprocessableEntity && backdated.text.contains("lebih awal dari langkah sebelumnya (2032-09-01)"))
            #expect(try await ProposalStageModel.query(on: app.db).filter(\.$stage == .adopted).count() == 0)
            #expect(try await seknas.post(stagePath, form: ["stage": "adopted", "date": "2032-09-10",
                                                            "note": "Disepakati dalam lokakarya finalisasi."]).status == .seeOther)
            let secondID = String(secondPath.split(separator: "/").last!)
            _ = try await seknas.get(secondPath)
            #expect(try await seknas.post("/proposals/\(secondID)/stages", form: ["stage": "merged", "date": "2032-09-10", "mergedInto": proposalID,
                                                                                 "note": "Sama tujuannya."]).status == .seeOther)
            let seen = try await cso.get(proposalPath)
            #expect(seen.text.contains("Diterima menjadi komitmen"))
            #expect(seen.text.contains("Disepakati dalam lokakarya finalisasi."))
            #expect(seen.text.contains("Diskusi bilateral kanal aduan"))
            #expect(seen.text.contains("menjadi Komitmen 1"))
            #expect(try await cso.get(secondPath).text.contains("Sama tujuannya."))
            let hub = try await cso.get("/cocreation")
            #expect(hub.text.contains("Usulan organisasi Anda"))
            #expect(hub.text.contains("Digabung dengan usulan lain"))
            #expect(!(try await agency.get("/cocreation").text.contains("Usulan organisasi Anda")))

            // Replacing the draft from a file would delete the proposals: refused.
            var replacement = SamplePlan.document(code: Self.code)
            replacement.commitments = []
            await #expect(throws: PlanWriteError.draftInCoCreation(Self.code)) {
                try await importPlan(replacement, status: .draft, replacingDraft: true, on: app.db)
            }

            // The adopted proposal is a draft commitment with its fields carried over, and hints on its targets.
            let draft = try await PlanReader.document(code: Self.code, on: app.db)
            let commitment = try #require(draft.commitments.first)
            #expect(draft.commitments.count == 1)
            #expect(commitment.title == "Kanal aduan terpadu")
            #expect(commitment.description.problem == "Aduan warga tidak ditindaklanjuti.")
            #expect(commitment.description.sdgTargets == ["16.6", "16.7"])
            // "Jaringan Pemantau Contoh" is no organisation of the list: it is set aside in the note, not made one.
            #expect(commitment.proposers == ["Perkumpulan Warga Contoh"])
            #expect(commitment.note.contains("Jaringan Pemantau Contoh"))
            #expect(try await OrganisationModel.query(on: app.db).filter(\.$name == "Jaringan Pemantau Contoh").count() == 0)
            #expect(commitment.responsible == ["Kementerian Contoh Keterbukaan"])
            #expect(commitment.goals.flatMap(\.measures).map(\.text) == ["Kanal aduan terpadu beroperasi", "Laporan tindak lanjut aduan"])
            #expect(commitment.goals[0].measures[0].targets == [TargetRecord(semester: "B06", text: "Sosialisasi kanal aduan"),
                                                                 TargetRecord(semester: "B12", text: "Tersedianya kanal aduan di 34 provinsi")])
            let page = try await visitor.get("/plans/\(Self.code)/commitments/1")
            #expect(page.text.contains("Komitmen ini masih rancangan."))
            #expect(page.text.contains("Hanya kegiatan (“sosialisasi”) tanpa hasil yang dituju."))

            let editor = try await seknas.get("/plans/\(Self.code)/commitments/1/edit")
            #expect(editor.status == .ok)
            #expect(editor.text.contains("1 target memiliki petunjuk perbaikan."))
            var edit = Self.editorForm(from: commitment)
            edit["rows[0][targets][B06]"] = "Tersusunnya 1 rancangan SOP kanal aduan"
            // Organisations are chosen from the list: spelt with other marks, or by acronym, they are found; a name that is
            // in no list is refused beside the form and nothing is created (a new organisation is made on purpose only).
            let organisationsBefore = try await OrganisationModel.query(on: app.db).count()
            var misspelt = edit
            misspelt["responsible"] = "kementerian-contoh  keterbukaan"
            misspelt["partners"] = "Kementerian Tak Dikenal"
            let unknown = try await seknas.post("/plans/\(Self.code)/commitments/1/edit", form: misspelt)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.text.contains("Organisasi &#39;Kementerian Tak Dikenal&#39; tidak ada di daftar organisasi")
                    || unknown.text.contains("Organisasi 'Kementerian Tak Dikenal' tidak ada di daftar organisasi"))
            #expect(try await OrganisationModel.query(on: app.db).count() == organisationsBefore)
            misspelt["partners"] = ""
            #expect(try await seknas.postAndFollow("/plans/\(Self.code)/commitments/1/edit", form: misspelt).status == .ok)
            #expect(try await PlanReader.document(code: Self.code, on: app.db).commitments.first?.responsible == ["Kementerian Contoh Keterbukaan"])
            #expect(try await OrganisationModel.query(on: app.db).count() == organisationsBefore)
            let saved = try await seknas.postAndFollow("/plans/\(Self.code)/commitments/1/edit", form: edit)
            #expect(saved.status == .ok)
            #expect(saved.text.contains("Komitmen disimpan."))
            #expect(!saved.text.contains("petunjuk perbaikan"))
            #expect(try await agency.postAndFollow("/plans/\(Self.code)/commitments/1/edit", form: edit).status == .forbidden)

            // Public consultation: visitors comment with a name and wait for moderation; accounts are shown at once.
            #expect(try await visitor.get("/plans/\(Self.code)/commitments/1/comment").text.contains("sedang tidak dibuka"))
            _ = try await seknas.get("/cocreation/plans/\(Self.code)")
            #expect(try await seknas.postAndFollow("/cocreation/plans/\(Self.code)/phases", form: ["proposals": "closed", "consultation": "open"]).status == .ok)
            #expect(try await visitor.get("/plans/\(Self.code)/commitments/1").text.contains("Beri tanggapan"))
            _ = try await visitor.get("/plans/\(Self.code)/commitments/1/comment")
            let nameless = try await visitor.postAndFollow("/plans/\(Self.code)/commitments/1/comment", form: ["name": "", "body": "Tanpa nama"])
            #expect(nameless.status == .unprocessableEntity)
            let held = try await visitor.postAndFollow("/plans/\(Self.code)/commitments/1/comment",
                                              form: ["name": "Siti", "organisation": "Warga Bandung", "body": "Mohon <script>alert(1)</script> target B24 dibuat per provinsi."])
            #expect(held.status == .ok)
            #expect(held.text.contains("setelah diperiksa Sekretariat"))
            #expect(!(try await visitor.get("/plans/\(Self.code)/commitments/1").text.contains("per provinsi")))
            _ = try await cso.get("/plans/\(Self.code)/commitments/1/comment")
            #expect(try await cso.postAndFollow("/plans/\(Self.code)/commitments/1/comment", form: ["body": "Kami siap memantau."]).text.contains("sudah ditampilkan"))

            let moderation = try await reviewer.get("/cocreation/plans/\(Self.code)/comments")
            #expect(moderation.text.contains("Menunggu moderasi"))
            #expect(moderation.text.contains("&lt;script&gt;"))
            let comment = try #require(try await ConsultationCommentModel.query(on: app.db).filter(\.$authorName == "Siti").first())
            #expect(try await reviewer.post("/cocreation/comments/\(comment.id!.uuidString)", form: ["status": "published"]).status == .forbidden)
            _ = try await seknas.get("/cocreation/plans/\(Self.code)/comments")
            #expect(try await seknas.post("/cocreation/comments/\(comment.id!.uuidString)",
                                          form: ["status": "published", "response": "partly_accepted",
                                                 "responseText": "Target B24 dirinci untuk 10 provinsi prioritas."]).status == .seeOther)
            let consulted = try await visitor.get("/plans/\(Self.code)/commitments/1")
            #expect(consulted.text.contains("per provinsi"))
            #expect(consulted.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!consulted.text.contains("<script>"))
            #expect(consulted.text.contains("Diakomodasi sebagian"))
            #expect(consulted.text.contains("Kami siap memantau."))

            // Rate limit: five comments per address in ten minutes.
            let flooder = TestBrowser(app: app)
            _ = try await flooder.get("/plans/\(Self.code)/commitments/1/comment")
            var statuses: [HTTPResponseStatus] = []
            for index in 0..<5 {
                statuses.append(try await flooder.postAndFollow("/plans/\(Self.code)/commitments/1/comment", form: ["name": "Banyak", "body": "Komentar \(index)"]).status)
            }
            #expect(statuses.contains(.tooManyRequests))

            // Adoption freezes the plan: the call and the consultation close, version 1 is recorded.
            _ = try await seknas.get("/cocreation/plans/\(Self.code)")
            let adopted = try await seknas.postAndFollow("/cocreation/plans/\(Self.code)/adopt", form: ["note": "Keputusan Menteri Nomor 1 Tahun 2033", "confirm": "on"])
            #expect(adopted.text.contains("versi 1 dicatat"))
            #expect(try await visitor.postAndFollow("/plans/\(Self.code)/commitments/1/comment", form: ["name": "Siti", "body": "Lagi"]).status == .conflict)
            let noReason = try await seknas.postAndFollow("/plans/\(Self.code)/commitments/1/edit", form: edit)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("tuliskan alasan revisi"))
            _ = try await seknas.get("/plans/\(Self.code)/commitments/1/edit")
            var revision = edit
            revision["rows[1][targets][B24]"] = "Terbitnya 8 laporan tindak lanjut aduan"
            revision["reason"] = "Hasil konsultasi publik: laporan menjadi bulanan di semester akhir."
            #expect(try await seknas.postAndFollow("/plans/\(Self.code)/commitments/1/edit", form: revision).status == .ok)

            // The public sees every version and what changed between them.
            let versions = try await visitor.get("/plans/\(Self.code)/versions")
            #expect(versions.text.contains("Keputusan Menteri Nomor 1 Tahun 2033"))
            #expect(versions.text.contains("Hasil konsultasi publik"))
            let change = try await visitor.get("/plans/\(Self.code)/versions/2")
            #expect(change.text.contains("Terbitnya 4 laporan triwulanan tindak lanjut aduan"))
            #expect(change.text.contains("Terbitnya 8 laporan tindak lanjut aduan"))
            #expect(change.text.contains("Target B24 (ukuran 1.2)"))
            let file = try await visitor.get("/plans/\(Self.code)/versions/1/plan.json")
            let first = try PlanJSON.decode(Data(file.body.readableBytesView))
            #expect(first.commitments[0].goals[0].measures[1].targets[0].text == "Terbitnya 4 laporan triwulanan tindak lanjut aduan")
            #expect(try await visitor.get("/plans/\(Self.code)/versions/9").status == .notFound)

            // The same record through the read API, as documented.
            let checker = try SchemaChecker(document: OpenAPITests.document())
            for (target, path) in [("/api/v1/plans/\(Self.code)/versions", "/api/v1/plans/{code}/versions"),
                                   ("/api/v1/plans/\(Self.code)/versions/2", "/api/v1/plans/{code}/versions/{version}"),
                                   ("/api/v1/plans/\(Self.code)/versions/7", "/api/v1/plans/{code}/versions/{version}"),
                                   ("/api/v1/plans/\(Self.code)/commitments/1/comments", "/api/v1/plans/{code}/commitments/{number}/comments")] {
                let response = try await visitor.get(target)
                let value = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
                let problems = try checker.check(value, path: path, status: Int(response.status.code))
                #expect(problems.isEmpty, "\(target): \(problems)")
            }
            let versionTwo = try await visitor.get("/api/v1/plans/\(Self.code)/versions/2")
            #expect(versionTwo.text.contains("\"after\":\"Terbitnya 8 laporan tindak lanjut aduan\""))
            #expect(versionTwo.text.contains("\"semester\":\"B24\""))
            let apiComments = try await visitor.get("/api/v1/plans/\(Self.code)/commitments/1/comments")
            #expect(apiComments.text.contains("\"response\":\"partly_accepted\""))
            #expect(!apiComments.text.contains("Komentar 0"))

            // On the portal the commitment is part of an adopted plan.
            let api = try await visitor.get("/api/v1/plans/\(Self.code)")
            #expect(api.text.contains("\"status\":\"adopted\""))
            let portal = try await visitor.get("/plans/\(Self.code)/commitments/1")
            #expect(portal.text.contains("Kanal aduan terpadu"))
            #expect(!portal.text.contains("masih rancangan"))
            #expect(!portal.text.contains("Hanya kegiatan"))
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
            let actions = try await AuditEntryModel.query(on: app.db).all().map(\.action)
            for action in ["plan.create", "plan.phases", "proposal.submit", "proposal.stage", "commitment.draft", "comment.submit",
                           "comment.moderate", "plan.adopt", "commitment.revise"] {
                #expect(actions.contains(action), "no audit entry \(action)")
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aRevisionCannotRemoveAReportedTarget(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let document = SamplePlan.document()
            let target = try #require(try await TargetModel.query(on: app.db).filter(\.$text == "Rancangan portal selesai").first())
            let agencyID = try #require(try await OrganisationModel.query(on: app.db).filter(\.$name == SamplePlan.agency.name).first()?.id)
            try await TargetReportModel(targetID: try target.requireID(), organisationID: agencyID).create(on: app.db)

            _ = try await seknas.get("/plans/contoh-2030-2032/commitments/1/edit")
            var form = Self.editorForm(from: document.commitments[0])
            form["rows[0][targets][B06]"] = ""
            form["reason"] = "Target B06 tidak diperlukan."
            let refused = try await seknas.postAndFollow("/plans/contoh-2030-2032/commitments/1/edit", form: form)
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("sudah dilaporkan"))
            #expect(try await TargetModel.query(on: app.db).filter(\.$text == "Rancangan portal selesai").count() == 1)
            #expect(try await PlanVersionModel.query(on: app.db).count() == 0)

            // Changing its text keeps the target (and its report).
            form["rows[0][targets][B06]"] = "Rancangan portal selesai dan disepakati"
            #expect(try await seknas.postAndFollow("/plans/contoh-2030-2032/commitments/1/edit", form: form).status == .ok)
            let kept = try #require(try await TargetModel.find(target.requireID(), on: app.db))
            #expect(kept.text == "Rancangan portal selesai dan disepakati")
            #expect(try await PlanVersionModel.query(on: app.db).count() == 1)
        }
    }

    /// The editor's form filled with a commitment as it stands.
    static func editorForm(from commitment: CommitmentRecord) -> [String: String] {
        var form: [String: String] = [
            "title": commitment.title, "theme": commitment.theme, "problem": commitment.description.problem,
            "commitment": commitment.description.commitment, "howItSolves": commitment.description.howItSolves,
            "relevance": commitment.description.openGovernmentRelevance, "rpjmn": commitment.description.rpjmnAlignment,
            "sdgAlignment": commitment.description.sdgAlignment, "sdgTargets": commitment.description.sdgTargets.joined(separator: ", "),
            "additional": commitment.description.additionalInformation, "planningDirectorate": commitment.planningDirectorate,
            "proposers": commitment.proposers.joined(separator: "\n"), "responsible": commitment.responsible.joined(separator: "\n"),
            "related": commitment.related.joined(separator: "\n"), "partners": commitment.partners.joined(separator: "\n"),
        ]
        var row = 0
        for goal in commitment.goals {
            for (position, measure) in goal.measures.enumerated() {
                form["rows[\(row)][goal]"] = position == 0 ? goal.text : ""
                form["rows[\(row)][measure]"] = measure.text
                form["rows[\(row)][responsible]"] = measure.responsible
                form["rows[\(row)][evidence]"] = measure.expectedEvidence
                for target in measure.targets { form["rows[\(row)][targets][\(target.semester)]"] = target.text }
                row += 1
            }
        }
        return form
    }
}

extension CoCreationTests {
    /// During a consultation every visitor's comment form carries that visitor's own token (in a cookie of its own,
    /// no session row): two visitors without an account, one after the other, both comment. The form used to be kept
    /// in the public page cache with the first visitor's token, so the second visitor's comment was refused (403).
    @Test(arguments: TestDatabase.allCases)
    func everyVisitorCommentsWithAFormOfTheirOwn(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let code = "rancangan-2033-2034"
            try await importPlan(SamplePlan.document(code: code), status: .draft, on: app.db)
            try await DraftPlanService.setPhases(planCode: code, proposalsOpen: nil, consultationOpen: true, today: app.clock.today, actor: .system, on: app.db)
            let path = "/plans/\(code)/commitments/1/comment"
            let first = TestBrowser(app: app), second = TestBrowser(app: app)
            for visitor in [first, second] {
                let form = try await visitor.get(path)
                #expect(form.status == .ok)
                #expect(form.headers.first(name: .cacheControl) == "private, no-cache")
                #expect(form.headers.first(name: PublicPageCache.sharedCacheHeader) == nil)
                #expect(visitor.cookies[SessionSettings.csrfCookieName] == visitor.csrf)
            }
            #expect(first.csrf != second.csrf)
            for (visitor, name) in [(first, "Ani"), (second, "Budi")] {
                let sent = try await visitor.postAndFollow(path, form: ["name": name, "body": "Tanggapan \(name)."])
                #expect(sent.status == .ok, "\(name): \(sent.status)")
                #expect(sent.text.contains("setelah diperiksa Sekretariat"))
            }
            #expect(try await ConsultationCommentModel.query(on: app.db).count() == 2)
            #expect(try await SessionModel.query(on: app.db).count() == 0)
            // A token from another visitor's form is refused.
            let third = TestBrowser(app: app)
            _ = try await third.get(path)
            third.csrf = first.csrf
            #expect(try await third.postAndFollow(path, form: ["name": "Cici", "body": "Dengan token orang lain."]).status == .forbidden)
        }
    }

    /// Adoption is a checked step: the secretariat sees what is still open (an undecided proposal, an unanswered comment),
    /// must tick the confirmation, and must give a reason while anything is open; a refusal changes nothing. Afterwards
    /// the undecided proposal can no longer be "adopted" (it would need a revision), only merged or dropped.
    @Test(arguments: TestDatabase.allCases)
    func adoptionIsACheckedStep(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let code = "rencana-periksa-2033-2034"
            let (secretariat, first) = try await Self.draftWithProposal(app, code: code)
            let cso = CurrentUser(try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerB.email).first()))
            var undecided = Self.proposal
            undecided.title = "Kanal aduan yang belum diputuskan"
            let second = try await ProposalService.submit(undecided, planCode: code, by: cso, on: app.db, today: app.clock.today)
            try await ProposalService.recordStage(proposalID: first, stage: .adopted, date: "2032-09-02", meetingID: nil, note: "Disepakati.",
                                                  mergedIntoID: nil, by: secretariat, on: app.db, now: app.clock.now())
            _ = try await ConsultationService.comment(planCode: code, number: 1, name: "Warga", organisation: "", body: "Mohon dijelaskan.",
                                                      user: nil, address: "192.0.2.1", on: app.db)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let page = try await seknas.get("/cocreation/plans/\(code)")
            #expect(page.text.contains("Pemeriksaan sebelum penetapan"))
            #expect(page.text.contains("Usulan yang belum diputuskan: 1"))
            #expect(page.text.contains("Kanal aduan yang belum diputuskan"))
            #expect(page.text.contains("Tanggapan konsultasi yang belum dijawab: 1"))

            func isDraft() async throws -> Bool {
                try await ActionPlanModel.query(on: app.db).filter(\.$code == code).first()?.status == .draft
            }
            let unconfirmed = try await seknas.post("/cocreation/plans/\(code)/adopt", form: ["note": "Keputusan Menteri Nomor 2"])
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(unconfirmed.text.contains("Centang konfirmasi"))
            #expect(unconfirmed.text.contains("Keputusan Menteri Nomor 2"), "the note typed was lost")
            #expect(try await isDraft())
            let noReason = try await seknas.post("/cocreation/plans/\(code)/adopt", form: ["note": "  ", "confirm": "on"])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("1 usulan belum diputuskan, 1 tanggapan belum dijawab"))
            #expect(try await isDraft())
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "plan.adopt").count() == 0)

            let reason = "Keputusan Menteri Nomor 2; usulan kanal aduan dibahas pada revisi pertama."
            let adopted = try await seknas.postAndFollow("/cocreation/plans/\(code)/adopt", form: ["note": reason, "confirm": "on"])
            #expect(adopted.text.contains("versi 1 dicatat"))
            #expect(!(try await isDraft()))
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "plan.adopt").first()?.reason == reason)

            let proposalPage = try await seknas.get("/proposals/\(second.uuidString)")
            #expect(proposalPage.status == .ok)
            #expect(!proposalPage.text.contains("value=\"adopted\""), "an adopted plan still offers to adopt a proposal")
            #expect(proposalPage.text.contains("value=\"dropped\""))
        }
    }

    static var proposal: ProposalService.Submission {
        ProposalService.Submission(
            title: "Data anggaran terbuka", problem: "Anggaran sulit dibaca.", commitment: "Membuka data anggaran.", howItSolves: "",
            measures: [ProposedMeasure(text: "Portal anggaran", targets: [TargetRecord(semester: "B12", text: "Tersedianya portal di 5 provinsi")])],
            proposingOrganisations: [], agencies: [SamplePlan.agency.name], rpjmnAlignment: "", sdgTargets: ["16.6"])
    }

    /// The secretariat publishes a dated timeline before co-creation starts; visitors see it, a banner on the home and
    /// plan pages while a phase is open, and the phases' opening and closing in the feed. Wrong dates are refused
    /// whole, naming the phase and the date, with what was typed kept.
    @Test(arguments: TestDatabase.allCases)
    func aDatedTimelineIsPublishedBeforeItStarts(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            app.clock.set(today: CalendarDay(iso: "2032-09-01")!)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let visitor = TestBrowser(app: app)
            _ = try await DraftPlanService.create(code: Self.code, title: "Rencana Aksi Baru 2033-2034", start: YearMonth(iso: "2033-01")!, months: 24,
                                                  scheme: "ogi", actor: .system, on: app.db)
            let page = "/cocreation/plans/\(Self.code)"
            _ = try await seknas.get(page)
            var form = ["plannedStart[call_for_proposals]": "2032-09-15", "plannedEnd[call_for_proposals]": "2032-10-15",
                        "plannedStart[review]": "2032-10-16", "plannedEnd[review]": "2032-10-31",
                        "plannedStart[consultation]": "2032-11-01", "plannedEnd[consultation]": "2032-11-30",
                        "plannedStart[adoption]": "2032-12-20", "plannedEnd[adoption]": "2032-12-20"]
            // Wrong dates: refused whole, beside the form, with what was typed.
            let entries = try await AuditEntryModel.query(on: app.db).count()
            var wrong = form
            wrong["plannedEnd[consultation]"] = "2032-10-20"
            let refused = try await seknas.post(page + "/timeline", form: wrong)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Konsultasi publik") && refused.text.contains("selesai yang direncanakan"), "\(refused.text)")
            #expect(refused.text.contains("value=\"2032-10-20\""))
            wrong = form
            wrong["plannedStart[consultation]"] = "2032-10-01"
            wrong["plannedEnd[consultation]"] = "2032-10-10"
            #expect(try await seknas.post(page + "/timeline", form: wrong).text.contains("Penelaahan usulan"))
            wrong = form
            wrong["actualStart[review]"] = "2032-13-01"
            #expect(try await seknas.post(page + "/timeline", form: wrong).text.contains("2032-13-01"))
            wrong = form
            wrong["actualStart[review]"] = "2032-09-30"
            #expect(try await seknas.post(page + "/timeline", form: wrong).status == .unprocessableEntity, "a phase cannot have started after today")
            #expect(try await AuditEntryModel.query(on: app.db).count() == entries)

            // Published before it starts.
            #expect(try await seknas.post(page + "/timeline", form: form).status == .seeOther)
            let shown = try await visitor.get(page).text
            #expect(shown.contains("15 Oktober 2032") && shown.contains("Direncanakan"))
            #expect(try await !visitor.get("/").text.contains("sedang dibuka"))

            // The call opens with its switch: the actual day is recorded, and visitors see a banner until it closes.
            app.clock.set(today: CalendarDay(iso: "2032-09-16")!)
            #expect(try await seknas.postAndFollow(page + "/phases", form: ["proposals": "open", "consultation": "closed"]).status == .ok)
            let banner = "Pengumpulan usulan untuk Rencana Aksi Baru 2033-2034 sedang dibuka sampai 15 Oktober 2032"
            #expect(try await visitor.get("/").text.contains(banner))
            #expect(try await visitor.get("/plans/\(Self.code)").text.contains(banner))
            #expect(try await visitor.get(page).text.contains("16 September 2032"))
            let stored = try #require(try await CoCreationPhaseModel.query(on: app.db).first()).timeline
            #expect(stored[.callForProposals].actualStart == CalendarDay(iso: "2032-09-16") && stored[.callForProposals].actualEnd == nil)
            // The form cannot move a switch's days.
            form["actualStart[call_for_proposals]"] = "2032-09-01"
            form["actualStart[review]"] = "2032-09-16"
            #expect(try await seknas.post(page + "/timeline", form: form).status == .seeOther)
            let kept = try #require(try await CoCreationPhaseModel.query(on: app.db).first()).timeline
            #expect(kept[.callForProposals].actualStart == CalendarDay(iso: "2032-09-16") && kept[.review].actualStart == CalendarDay(iso: "2032-09-16"))

            app.clock.set(today: CalendarDay(iso: "2032-10-16")!)
            #expect(try await seknas.postAndFollow(page + "/phases", form: ["proposals": "closed", "consultation": "closed"]).status == .ok)
            let home = try await visitor.get("/").text
            #expect(!home.contains(banner) && home.contains("Penelaahan usulan untuk Rencana Aksi Baru 2033-2034 sedang dibuka"))
            let feed = try await visitor.get("/feed.atom").text
            #expect(feed.contains("Pengumpulan usulan dibuka: Rencana Aksi Baru 2033-2034") && feed.contains("Pengumpulan usulan ditutup: Rencana Aksi Baru 2033-2034"))
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "plan.timeline").count() == 4)
        }
    }

    /// Proposals are public once submitted, with the reasons of their decisions (working notes stay with the secretariat
    /// and the proposer); the proposer edits or withdraws one until review starts; an adopted commitment links back to
    /// its proposal and the minutes that discussed it; agencies propose where the secretariat allows it.
    @Test(arguments: TestDatabase.allCases)
    func proposalsAreOpenWithTheirReasons(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            app.clock.set(today: CalendarDay(iso: "2032-09-01")!)
            let (_, first) = try await Self.draftWithProposal(app, code: Self.code)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            let cso = try await TestBrowser.signedIn(TestAccounts.implementerB, app: app)
            let agency = try await TestBrowser.signedIn(TestAccounts.implementerA, app: app)
            let visitor = TestBrowser(app: app)
            let path = "/proposals/\(first.uuidString)"
            #expect(try await visitor.get("/cocreation/plans/\(Self.code)").text.contains(path))

            // The proposer edits it while it is only submitted; nobody else can.
            _ = try await cso.get(path + "/edit")
            var edit = Self.proposalForm(title: "Portal anggaran terbuka")
            edit["problem"] = "Anggaran daerah sulit dibaca warga."
            #expect(try await cso.post(path + "/edit", form: edit).status == .seeOther)
            #expect(try await visitor.get(path).text.contains("Anggaran daerah sulit dibaca warga."))
            _ = try await agency.get("/account")
            #expect(try await agency.post(path + "/edit", form: edit).status == .forbidden)
            #expect(try await agency.post(path + "/withdraw", form: ["reason": "x"]).status == .forbidden)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "proposal.edit").count() == 1)

            // Review starts: a working note the public does not see; no more edits or withdrawal.
            let meeting = try await MeetingService.record(
                MeetingRecord(plan: Self.code, title: "Diskusi bilateral portal anggaran", date: CalendarDay(iso: "2032-09-01")!,
                              participants: [MeetingPerson(name: "Ani", organisation: "Perkumpulan Warga Contoh")]),
                attachments: [], published: true, store: nil, actor: .system, organisationID: nil, recorderID: nil, on: app.db)
            _ = try await seknas.get(path)
            #expect(try await seknas.post(path + "/stages", form: ["stage": "bilateral", "date": "2032-09-01", "meeting": meeting.uuidString,
                                                                   "note": "Catatan kerja: anggaran perlu dicek ke Bappenas."]).status == .seeOther)
            #expect(try await !visitor.get(path).text.contains("Catatan kerja"))
            #expect(try await cso.get(path).text.contains("Catatan kerja"))
            #expect(try await cso.post(path + "/edit", form: edit).status == .conflict)
            #expect(try await cso.post(path + "/withdraw", form: ["reason": "Berubah pikiran."]).text.contains("penelaahannya sudah dimulai"))

            // A decision's reason is public; the adopted commitment links back to its proposal and the minutes.
            #expect(try await seknas.post(path + "/stages", form: ["stage": "adopted", "date": "2032-09-02",
                                                                   "note": "Selaras dengan RPJMN dan disepakati K/L."]).status == .seeOther)
            #expect(try await visitor.get(path).text.contains("Selaras dengan RPJMN dan disepakati K/L."))
            let commitment = try await visitor.get("/plans/\(Self.code)/commitments/1").text
            #expect(commitment.contains(path) && commitment.contains("/meetings/\(meeting.uuidString)"), "\(commitment)")

            // A second proposal, withdrawn by its proposer with a reason (without one, refused with the form kept).
            let second = try await ProposalService.submit(Self.proposal, planCode: Self.code,
                                                          by: CurrentUser(try #require(try await UserModel.query(on: app.db)
                                                              .filter(\.$email == TestAccounts.implementerB.email).first())),
                                                          on: app.db, today: app.clock.today)
            let secondPath = "/proposals/\(second.uuidString)"
            _ = try await cso.get(secondPath)
            let unreasoned = try await cso.post(secondPath + "/withdraw", form: ["reason": "  "])
            #expect(unreasoned.status == .unprocessableEntity && unreasoned.text.contains("alasan penarikan"))
            #expect(try await cso.postAndFollow(secondPath + "/withdraw", form: ["reason": "Digabung ke usulan jaringan kami."]).text
                .contains("Ditarik oleh pengusul"))
            #expect(try await visitor.get(secondPath).text.contains("Digabung ke usulan jaringan kami."))
            #expect(try await ProposalModel.find(second, on: app.db)?.stage == .withdrawn)

            // The agencies a proposal concerns come from the organisation list: a name in no list is refused, nothing made.
            var unlisted = Self.proposalForm(title: "Usulan dengan K/L khayalan")
            unlisted["agencies"] = "Kementerian Urusan Khayalan"
            let refused = try await cso.post("/cocreation/plans/\(Self.code)/proposals", form: unlisted)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("Kementerian Urusan Khayalan"))
            #expect(try await ProposalModel.query(on: app.db).filter(\.$title == "Usulan dengan K/L khayalan").count() == 0)

            // Agencies propose once the secretariat allows it.
            let agencyForm = Self.proposalForm(title: "Usulan dari K/L")
            #expect(try await agency.post("/cocreation/plans/\(Self.code)/proposals", form: agencyForm).status == .conflict)
            _ = try await seknas.get("/cocreation/plans/\(Self.code)")
            #expect(try await seknas.postAndFollow("/cocreation/plans/\(Self.code)/phases", form: ["agencies": "yes"]).status == .ok)
            _ = try await agency.get("/cocreation/plans/\(Self.code)")
            #expect(try await agency.post("/cocreation/plans/\(Self.code)/proposals", form: agencyForm).status == .seeOther)
        }
    }

    /// A draft plan with its call for proposals and its consultation open and one proposal of the test CSO, written
    /// through the services: the secretariat as a user, and the proposal's id.
    static func draftWithProposal(_ app: Application, code: String) async throws -> (CurrentUser, UUID) {
        let secretariat = CurrentUser(try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.secretariat.email).first()))
        let cso = CurrentUser(try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerB.email).first()))
        _ = try await DraftPlanService.create(code: code, title: "Rencana Cadangan", start: YearMonth(iso: "2033-01")!, months: 24, scheme: "ogi",
                                          actor: secretariat.auditActor, on: app.db)
        try await DraftPlanService.setPhases(planCode: code, proposalsOpen: true, consultationOpen: true, today: app.clock.today,
                                             actor: secretariat.auditActor, on: app.db)
        return (secretariat, try await ProposalService.submit(proposal, planCode: code, by: cso, on: app.db, today: app.clock.today))
    }

    /// Co-creation records of every kind, written through the services: a draft plan with its phases, a proposal
    /// merged into another (a row that refers to its own table), stages, a moderated comment and an adopted version.
    static func fillCoCreation(_ app: Application) async throws {
        let code = "rencana-cadangan-2033-2034"
        let (secretariat, first) = try await draftWithProposal(app, code: code)
        let cso = CurrentUser(try #require(try await UserModel.query(on: app.db).filter(\.$email == TestAccounts.implementerB.email).first()))
        let second = try await ProposalService.submit(proposal, planCode: code, by: cso, on: app.db, today: app.clock.today)
        try await ProposalService.recordStage(proposalID: second, stage: .merged, date: "2032-09-01", meetingID: nil, note: "Sama.",
                                              mergedIntoID: first, by: secretariat, on: app.db, now: app.clock.now())
        try await ProposalService.recordStage(proposalID: first, stage: .adopted, date: "2032-09-02", meetingID: nil, note: "Disepakati.",
                                              mergedIntoID: nil, by: secretariat, on: app.db, now: app.clock.now())
        _ = try await ConsultationService.comment(planCode: code, number: 1, name: "Warga", organisation: "", body: "Setuju.", user: nil,
                                                  address: "192.0.2.1", on: app.db)
        let comment = try #require(try await ConsultationCommentModel.query(on: app.db).first())
        try await ConsultationService.moderate(commentID: comment.requireID(), status: .published, response: .noted, responseText: "Dicatat.",
                                               by: secretariat, on: app.db)
        try await DraftPlanService.adopt(planCode: code, note: "Ditetapkan.", confirmed: true, today: app.clock.today, actor: secretariat.auditActor, on: app.db)
    }
}
