import Fluent
import Foundation
@testable import Pantau
import PantauDomain
import Testing
import Vapor

/// Issue 15: the national overview puts every plan of a period side by side, with the same breakdowns over all of
/// them together; numbers of an unpublished period only for those who hold the plan. The regional plans here are
/// the made-up sample plan under made-up regions.
@Suite("National overview")
struct OverviewTests {
    static let national = "contoh-2030-2032", city = "kota-contoh-2030-2032", province = "provinsi-contoh-2030-2032"

    /// Implementer A's B06 target of `planCode`, reported and scored `points` by the national secretariat.
    static func reportAndScore(planCode: String, points: Int, app: Application) async throws {
        let plan = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == planCode).first())
        let semester = try #require(try await PlanSemesterModel.query(on: app.db).filter(\.$plan.$id == plan.requireID()).filter(\.$code == "B06").first())
        let target = try #require(try await TargetModel.query(on: app.db).filter(\.$semester.$id == semester.requireID())
            .filter(\.$text == "Rancangan portal selesai").first())
        let secretariat = try await YearResultsTests.user(TestAccounts.secretariat, on: app)
        let agency = try await YearResultsTests.user(TestAccounts.implementerA, on: app)
        let window = try ReportingWindow(reportOpens: YearResultsTests.day("2031-07-01"), reportCloses: YearResultsTests.day("2031-07-10"),
                                         verifyOpens: YearResultsTests.day("2031-07-11"), verifyCloses: YearResultsTests.day("2031-07-20"))
        try await SemesterService.setWindow(semesterID: semester.requireID(), window: window, by: secretariat, on: app.db)
        app.clock.set(today: window.reportOpens)
        try await ReportService.saveDraft(targetID: target.requireID(), achievement: "Selesai.", progress: 100, by: agency, on: app.db,
                                          store: app.evidenceStore, now: app.clock.now(), today: app.clock.today)
        try await ReportService.submit(targetID: target.requireID(), by: agency, on: app.db, store: app.evidenceStore, now: app.clock.now(),
                                       today: app.clock.today)
        let report = try #require(try await TargetReportModel.query(on: app.db).filter(\.$target.$id == target.requireID()).first())
        app.clock.set(today: window.verifyOpens)
        try await ReportService.score(reportID: report.requireID(), points: points, notApplicableReason: nil, by: secretariat, on: app.db,
                                      now: app.clock.now(), today: app.clock.today)
        app.clock.set(today: window.verifyCloses.adding(days: 1))
    }

    static func overview(_ query: String, token: String?, app: Application) async throws -> OverviewController.OverviewData {
        let response = try await MonitoringTests.api(.GET, "/api/v1/overview?\(query)", token: token, app: app)
        #expect(response.status == .ok, "\(response.text)")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(OverviewController.OverviewData.self, from: Data(response.text.utf8))
    }

    @Test(arguments: TestDatabase.allCases)
    func everyPlanOfAPeriodSideBySideAndTogether(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            let city = JurisdictionModel(name: "Kota Contoh", kind: .city)
            let province = JurisdictionModel(name: "Provinsi Contoh", kind: .province)
            try await city.create(on: app.db)
            try await province.create(on: app.db)
            for (code, jurisdiction) in [(Self.city, city), (Self.province, province)] {
                _ = try await PlanImport.run(SamplePlan.document(code: code), status: .adopted, replacingDraft: false, sourceFile: "test",
                                             actor: .system, jurisdictionID: jurisdiction.requireID(), on: app.db)
            }
            let cityID = try #require(try await ActionPlanModel.query(on: app.db).filter(\.$code == Self.city).first()?.id)
            // The national plan: 100 for B06, published. The city: 50, not published. The province: nothing reported.
            try await Self.reportAndScore(planCode: Self.national, points: 100, app: app)
            try await Self.reportAndScore(planCode: Self.city, points: 50, app: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            try await ReportingCycleTests.publish("B06", seknas: seknas, reason: "Komitmen 2 tidak melapor.")
            // The city's year: commitment 1 overridden to 40 and rated.
            let secretariat = try await YearResultsTests.user(TestAccounts.secretariat, on: app)
            try await ResultsService.assess(planCode: Self.city, period: .year(2031), commitmentNumber: 1,
                                            assessment: try Assessment(scoreOverride: 40, overrideReason: "Bukti belum lengkap.", rating: .semiAktif,
                                                                       justification: "Baru satu OMS terlibat."),
                                            correctionReason: "", by: secretariat, now: app.clock.now(), on: app.db)

            // The overview reads its figures as plain columns: they are each plan's evaluation report for the period.
            let adopted = try await ActionPlanModel.query(on: app.db).filter(\.$status == .adopted).with(\.$semesters).all()
            for span in [NationalOverview.Span.half(year: 2031, half: 1), .year(2031)] {
                let periods = adopted.compactMap { plan in span.period(of: plan).map { (plan: plan, period: $0) } }
                for (entry, figures) in zip(periods, try await NationalOverview.Figures.load(periods, on: app.db)) {
                    let report = try await EvaluationQueries.build(planCode: entry.plan.code, period: entry.period, on: app.db)
                    #expect(EvaluationReport.Breakdowns(figures.report) == EvaluationReport.Breakdowns(report.report), "\(entry.plan.code) \(span)")
                    #expect(figures.report.counts == report.report.counts)
                    #expect(figures.report.targetAnnex.map { "\($0.category):\($0.targets)" } == report.report.targetAnnex.map { "\($0.category):\($0.targets)" })
                    #expect(figures.input.commitments.map { "\($0.number):\($0.score ?? -1):\($0.rating?.rawValue ?? "")" }
                        == report.input.commitments.map { "\($0.number):\($0.score ?? -1):\($0.rating?.rawValue ?? "")" })
                    #expect(figures.publishedAt == report.results.publication?.at)
                    let outcomes = report.results.commitments.flatMap(\.rows).map(\.outcome)
                    #expect(figures.targets == outcomes.count && figures.reported == outcomes.filter(\.reported).count
                        && figures.scored == outcomes.filter { $0.score != nil }.count)
                }
            }

            // A visitor: three plans, the unpublished ones without numbers; the total over the published one alone.
            let visitor = try await Self.overview("period=2031-1", token: nil, app: app)
            #expect(visitor.span == "2031-1")
            #expect(visitor.plans.map(\.code) == [Self.national, Self.province, Self.city], "national first, then provinces, regencies, cities")
            #expect(visitor.plans.map(\.period) == ["B06", "B06", "B06"])
            #expect(visitor.plans.map(\.published) == [true, false, false])
            #expect(visitor.plans[0].commitments == 2 && visitor.plans[0].scoredTargets == 1)
            #expect(visitor.plans[1].commitments == nil && visitor.plans[1].breakdowns == nil)
            #expect(visitor.plans[2].breakdowns == nil)
            #expect(visitor.totalPlans == 1 && visitor.totalCommitments == 2)
            let visitorTotal = try #require(visitor.total)
            #expect(visitorTotal.commitmentsByCategory.reduce(0) { $0 + $1.percent } == 100)
            // The same as CSV, one row per plan, each category a column: the counts of the API, the unpublished empty.
            let csv = try await TestBrowser(app: app).get("/overview.csv?period=2031-1")
            #expect(csv.status == .ok && csv.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(csv.headers.first(name: .contentDisposition)?.contains("overview-2031-1.csv") == true)
            let table = try CSVRecords.parse(try TextDecoding.utf8(Data(csv.text.utf8)))
            let header = try #require(table.first)
            #expect(Array(header.prefix(3)) == ["plan_code", "title", "jurisdiction"])
            #expect(table.dropFirst().map { $0.first } == visitor.plans.map(\.code))
            func cell(_ row: [String], _ column: String) -> String? { header.firstIndex(of: column).flatMap { $0 < row.count ? row[$0] : nil } }
            for (row, plan) in zip(table.dropFirst(), visitor.plans) {
                #expect(cell(row, "commitments") == plan.commitments.map(String.init) ?? "")
                for category in visitorTotal.commitmentsByCategory {
                    #expect(cell(row, "commitments_\(category.category)")
                        == plan.breakdowns.map { String($0.commitmentsByCategory.first { $0.category == category.category }?.count ?? 0) } ?? "")
                }
                #expect(cell(row, "publication_requirement") == plan.minimumRequirements?.years.first?.publicationState ?? "")
            }
            #expect(try await TestBrowser(app: app).get("/overview.csv?period=2031-3").status == .unprocessableEntity)

            // The national secretariat holds every plan: every plan's numbers, counted together.
            let nationalToken = try await MonitoringTests.token(for: TestAccounts.secretariat, app: app)
            let all = try await Self.overview("period=2031-1", token: nationalToken, app: app)
            #expect(all.totalPlans == 3 && all.totalCommitments == 6)
            let cityRow = try #require(all.plans.first { $0.code == Self.city })
            #expect(cityRow.scoredTargets == 1 && cityRow.published == false)
            // Together: the agency targets of all three plans' B06, by category, one count per target.
            let agencyTargets = try #require(all.total?.agencyTargetsByCategory)
            #expect(agencyTargets.reduce(0) { $0 + $1.count } == all.plans.reduce(0) { $0 + ($1.breakdowns?.agencyTargetsByCategory.reduce(0) { $0 + $1.count } ?? 0) })
            #expect(agencyTargets.reduce(0) { $0 + $1.percent } == 100)

            // A secretariat of the city: the city's numbers, not the province's.
            let citySecretariat = try await AccountCreation.create(name: "Sekretariat Kota", email: "sekretariat.kota@contoh.test", role: .secretariat,
                                                                   organisation: nil, password: TestAccounts.password, on: app.db)
            citySecretariat.allPlans = false
            try await citySecretariat.save(on: app.db)
            try await PlanGrantModel(userID: citySecretariat.requireID(), planID: cityID).create(on: app.db)
            let cityAccount = TestAccounts.Account(email: "sekretariat.kota@contoh.test", password: TestAccounts.password, role: .secretariat,
                                                   organisation: nil)
            let ofCity = try await Self.overview("period=2031-1", token: try await MonitoringTests.token(for: cityAccount, app: app), app: app)
            #expect(ofCity.plans.first { $0.code == Self.city }?.commitments == 2)
            #expect(ofCity.plans.first { $0.code == Self.province }?.commitments == nil)

            // Filtered by kind, sorted, a whole year.
            #expect(try await Self.overview("period=2031-1&kind=city", token: nil, app: app).plans.map(\.code) == [Self.city])
            let byCoverage = try await Self.overview("period=2031-1&sort=coverage&order=desc", token: nationalToken, app: app)
            #expect(byCoverage.plans.last?.code == Self.province)
            let year = try await Self.overview("year=2031", token: nil, app: app)
            #expect(year.plans.map(\.period) == ["2031", "2031", "2031"])
            // The page's one choice sends a year as a period.
            #expect(try await Self.overview("period=2031", token: nil, app: app).span == "2031")
            #expect(year.plans.allSatisfy { !$0.published })

            // A period that is not one is refused, in the reader's language, naming what was wrong.
            let bad = try await MonitoringTests.api(.GET, "/api/v1/overview?period=2031-3", token: nil, app: app)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("2031-3"))

            // Open data says where each plan belongs and in what state.
            let plansFile = try await TestBrowser(app: app).get("/data/plans.csv")
            #expect(plansFile.text.contains("\(Self.city),adopted,,Rencana Aksi Contoh 2030-2032,Kota Contoh,city,2031-01,2032-12"), "\(plansFile.text)")
            #expect(plansFile.text.contains("\(Self.national),adopted,,Rencana Aksi Contoh 2030-2032,Indonesia,national"))

            // The page: the same plans; a sort link per column; what is not published is said.
            let page = try await TestBrowser(app: app).get("/overview?period=2031-1")
            #expect(page.status == .ok)
            #expect(page.text.contains("Kota Contoh") && page.text.contains("Provinsi Contoh"))
            #expect(page.text.contains("Belum diterbitkan"))
            #expect(page.text.contains("sort=coverage"))
            let badPage = try await TestBrowser(app: app).get("/overview?year=abc")
            #expect(badPage.status == .unprocessableEntity)
        }
    }

    /// OGP's minimum requirements are computed from publications and minutes, year by year, never typed in.
    @Test(arguments: TestDatabase.allCases)
    func minimumRequirementsComeFromTheRecord(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await TestAccounts.create(on: app)
            try await Self.reportAndScore(planCode: Self.national, points: 100, app: app)
            let seknas = try await TestBrowser.signedIn(TestAccounts.secretariat, app: app)
            try await ReportingCycleTests.publish("B06", seknas: seknas, reason: "Komitmen 2 tidak melapor.")
            // Kept per plan until it changes: the minutes recorded below are counted at once.
            #expect(try await Self.overview("year=2031", token: nil, app: app).plans.first?.minimumRequirements?.years.first?.resultMeetings == 0)
            // Two meetings presenting results to civil society in 2031, one that did not, one in 2032 not yet published.
            for (title, day, presents, published) in [("Paparan hasil B06", "2031-08-01", true, true), ("Paparan hasil B12", "2031-12-01", true, true),
                                                      ("Rapat teknis", "2031-09-01", false, true), ("Paparan 2032", "2032-02-01", true, false)] {
                let record = MeetingRecord(plan: Self.national, title: title, date: YearResultsTests.day(day),
                                           participants: [MeetingPerson(name: "Warga", organisation: SamplePlan.cso.name)], presentsResults: presents)
                _ = try await MeetingService.record(record, attachments: [], published: published, store: nil, actor: .system, organisationID: nil,
                                                    recorderID: nil, on: app.db)
            }
            func requirements() async throws -> API.MinimumRequirementsDTO {
                let response = try await MonitoringTests.api(.GET, "/api/v1/plans/\(Self.national)", token: nil, app: app)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                return try #require(try decoder.decode(API.PlanDetailDTO.self, from: Data(response.text.utf8)).minimumRequirements)
            }
            #expect(try await Self.overview("year=2031", token: nil, app: app).plans.first?.minimumRequirements?.years.first?.resultMeetings == 2,
                    "the minutes are counted the same day")
            // In 2031: one publication so far (in progress), two meetings (met).
            let during = try await requirements()
            #expect(during.years.map(\.year) == [2031], "no year after today")
            #expect(during.years.first?.publications == 1 && during.years.first?.publicationState == "inProgress")
            #expect(during.years.first?.resultMeetings == 2 && during.years.first?.meetingState == "met")
            #expect(during.lastUpdated != nil)
            // 2031 over: one publication is not enough; 2032 has begun.
            app.clock.set(today: YearResultsTests.day("2032-01-05"))
            let after = try await requirements()
            #expect(after.years.map(\.year) == [2031, 2032])
            #expect(after.years.first?.publicationState == "notMet" && after.years.last?.publicationState == "inProgress")
            #expect(after.years.last?.resultMeetings == 0, "unpublished minutes do not count")
            let page = try await TestBrowser(app: app).get("/plans/\(Self.national)")
            #expect(page.text.contains("Persyaratan minimum OGP"))
            #expect(page.text.contains("1 kali: tidak terpenuhi"))
            #expect(page.text.contains("2 rapat: terpenuhi"))
            let overview = try await Self.overview("year=2031", token: nil, app: app)
            #expect(overview.year == 2031)
            #expect(overview.plans.first?.minimumRequirements?.years.map(\.publicationState) == ["notMet"])
            #expect(overview.plans.first?.minimumRequirements?.years.first?.resultMeetings == 2)
        }
    }
}
