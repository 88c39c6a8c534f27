import Fluent
import Foundation
import PantauDomain
import Vapor

/// Open data: every public table as CSV or JSON, for one plan (`?plan=CODE`) or for all of them, with a
/// data dictionary page that says what each column means.
struct OpenDataController {
    static let datasets = ["plans", "organisations", "commitments", "targets", "target_results", "commitment_results", "corrections", "monitor_assessments", "meetings"]

    func dictionary(req: Request) async throws -> View {
        let plans = try await ActionPlanModel.query(on: req.db).sort(\.$code).all().map(\.code)
        let tables = Self.datasets.map { name in
            DictionaryPage.Table(name: name, titleKey: "data.table." + name, columns: Self.columns(name).map {
                DictionaryPage.Column(name: $0, meaningKey: "data.column." + $0)
            }, csvURL: SiteURL.openDataFile.path(name + ".csv"), jsonURL: SiteURL.openDataFile.path(name + ".json"))
        }
        return try await req.view.render("data", DictionaryPage(page: PageMeta(request: req, title: req.t("data.title")), tables: tables, plans: plans))
    }

    func download(req: Request) async throws -> Response {
        let file: String = try req.parameters.require("file")
        let parts = file.split(separator: ".")
        guard parts.count == 2, Self.datasets.contains(String(parts[0])), ["csv", "json"].contains(parts[1]) else { throw AppError.http(.notFound) }
        let plan = (try? req.query.get(String.self, at: "plan")).flatMap { $0.isEmpty ? nil : $0 }
        if let plan, try await ActionPlanModel.query(on: req.db).filter(\.$code == plan).count() == 0 { throw AppError.planNotFound(code: plan) }
        let dataset = try await Self.load(String(parts[0]), plan: plan, on: req.db)
        let response: Response
        if parts[1] == "csv" {
            response = Response(status: .ok, body: .init(data: try PlanCSV.encode([dataset.columns] + dataset.rows)))
            response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        } else {
            let objects = dataset.rows.map { Dictionary(uniqueKeysWithValues: zip(dataset.columns, $0)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            response = Response(status: .ok, body: .init(data: try encoder.encode(objects)))
            response.headers.contentType = .json
        }
        response.headers.setAttachment(filename: "\(plan.map { $0 + "-" } ?? "")\(file)")
        return response
    }

    static func columns(_ name: String) -> [String] {
        switch name {
        case "plans": ["plan_code", "title", "jurisdiction", "jurisdiction_kind", "plan_status", "archived_at", "period_start", "period_end"]
        case "organisations": ["organisation_id", "name", "acronym", "kind"]
        case "commitments": ["plan_code", "commitment_number", "title", "theme", "responsible", "start", "end"]
        case "targets": PlanTable.header
        case "target_results": ["plan_code", "semester", "commitment_number", "measure", "responsible_organisation", "target", "status", "progress", "achievement", "score", "category", "not_applicable_reason", "late", "corrected_at"]
        case "commitment_results": ["plan_code", "period", "commitment_number", "title", "score", "category", "cocreation_rating", "cocreation_justification", "scored_targets", "targets", "corrected_at"]
        case "corrections": ["plan_code", "period", "commitment_number", "target", "corrected_at", "corrected_by", "reason",
                             "score_before", "category_before", "score_after", "category_after", "cocreation_rating_before",
                             "cocreation_rating_after"]
        case "monitor_assessments": ["plan_code", "semester", "commitment_number", "completion_rating", "assessment_text", "published_at",
                                     "updated_at"]
        default: ["plan_code", "date", "title", "place", "commitments", "url"]
        }
    }

    static func load(_ name: String, plan code: String?, on database: any Database) async throws -> Dataset {
        let plans = try await ActionPlanModel.query(on: database).with(\.$scheme) { $0.with(\.$categories) }.sort(\.$code).all()
            .filter { code == nil || $0.code == code }
        try await plans.loadChildren(\.$semesters, on: database)
        var rows: [[String]] = []
        switch name {
        case "plans":
            let jurisdictions = Dictionary(uniqueKeysWithValues: try await JurisdictionModel.query(on: database).all().map { ($0.id!, $0) })
            rows = plans.map { plan in
                let jurisdiction = plan.$jurisdiction.id.flatMap { jurisdictions[$0] }
                return [plan.code, plan.title, jurisdiction?.name ?? JurisdictionModel.nationalName, (jurisdiction?.kind ?? .national).rawValue,
                        plan.archivedAt == nil ? plan.status.rawValue : "archived",
                        plan.archivedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "", plan.periodStart, plan.periodEnd]
            }
        case "organisations":
            rows = try await OrganisationModel.query(on: database).sort(\.$name).all().map { [$0.id!.uuidString, $0.name, $0.acronym ?? "", $0.kind.rawValue] }
        case "commitments":
            for plan in plans {
                let detail = try await PlanQueries.detail(code: plan.code, on: database)
                for commitment in detail.commitments {
                    let record = try await PlanQueries.commitment(planCode: plan.code, number: commitment.number, on: database)
                    rows.append([plan.code, "\(commitment.number)", commitment.title, commitment.theme,
                                 commitment.responsible.map(\.name).joined(separator: "; "), record.start ?? "", record.end ?? ""])
                }
            }
        case "targets":
            for plan in plans { rows += PlanTable.rows(try await PlanReader.document(code: plan.code, on: database)).dropFirst() }
        case "target_results":
            for plan in plans {
                for period in try await Self.publishedPeriods(plan, years: false, on: database) {
                    let results = try await PeriodResults.load(plan: plan, period: period, on: database)
                    let reportIDs = results.commitments.flatMap { $0.rows }.compactMap { (row: PlanMatrix.Row) -> UUID? in
                        guard let report = row.report, ReportLifecycle.isPublic(report.status, semesterPublished: true) else { return nil }
                        return report.id
                    }
                    guard !reportIDs.isEmpty else { continue }
                    let reports = try await ReportQueries.reports({ $0.filter(\.$id ~~ reportIDs) }, language: .id, viewer: nil, on: database)
                    for report in reports {
                        let corrected: ResultCorrectionModel? = UUID(uuidString: report.id).flatMap { results.corrections(ofReport: $0).last }
                        let correctedAt: String = corrected.map { ISO8601DateFormatter().string(from: $0.madeAt) } ?? ""
                        let row: [String] = [report.planCode, report.semester, "\(report.commitmentNumber)", report.measure, report.organisation,
                                             report.target, report.status, "\(report.progress)", report.achievement, report.score,
                                             report.categoryLabel, report.notApplicableReason, report.isLate ? "true" : "false", correctedAt]
                        rows.append(row)
                    }
                }
            }
        case "commitment_results":
            for plan in plans {
                for period in try await Self.publishedPeriods(plan, years: true, on: database) {
                    let results = try await PeriodResults.load(plan: plan, period: period, on: database)
                    for commitment in results.commitments {
                        let corrected: String = results.corrections(ofCommitment: commitment.commitmentID).last
                            .map { ISO8601DateFormatter().string(from: $0.madeAt) } ?? ""
                        let score: String = commitment.result.finalScore.map(String.init) ?? ""
                        let row: [String] = [plan.code, period.description, "\(commitment.number)", commitment.title, score,
                                             commitment.result.category?.code ?? "", commitment.assessment.rating?.rawValue ?? "",
                                             commitment.assessment.justification, "\(commitment.result.coverage.scored)",
                                             "\(commitment.result.coverage.targets)", corrected]
                        rows.append(row)
                    }
                }
            }
        case "corrections":
            // Every change to a published result: the public correction history.
            for plan in plans {
                let corrections = try await ResultCorrectionModel.query(on: database).filter(\.$plan.$id == plan.requireID())
                    .with(\.$commitment).with(\.$report) { $0.with(\.$target) }.sort(\.$madeAt).all()
                for correction in corrections {
                    let before = correction.beforeValue
                    let after = correction.afterValue
                    func score(_ value: CorrectedValue?) -> String {
                        guard let value else { return "" }
                        return value.notApplicable ? "N/A" : value.score.map(String.init) ?? ""
                    }
                    let row: [String] = [plan.code, correction.period, "\(correction.commitment.number)", correction.report?.target.text ?? "",
                                         ISO8601DateFormatter().string(from: correction.madeAt), correction.madeBy, correction.reason,
                                         score(before), before?.category ?? "", score(after), after?.category ?? "",
                                         before?.coCreationRating?.rawValue ?? "", after?.coCreationRating?.rawValue ?? ""]
                    rows.append(row)
                }
            }
        case "monitor_assessments":
            let time = ISO8601DateFormatter()
            for plan in plans {
                for entry in try await MonitoringService.entries(planID: plan.requireID(), withDrafts: false, on: database) {
                    rows.append([plan.code, entry.semester, "\(entry.commitmentNumber)", entry.rating.rawValue, entry.text,
                                 entry.publishedAt.map(time.string) ?? "", entry.updatedAt.map(time.string) ?? ""])
                }
            }
        default:
            let meetings = try await MeetingModel.query(on: database).filter(\.$isPublished == true).with(\.$plan).with(\.$links) { $0.with(\.$commitment) }
                .sort(\.$date).all().filter { code == nil || $0.plan.code == code }
            rows = meetings.map { [$0.plan.code, $0.date, $0.title, $0.record?.place ?? "", $0.links.map { String($0.commitment.number) }.sorted().joined(separator: ","),
                                   SiteURL.meeting.path($0.id!)] }
        }
        return Dataset(name: name, columns: columns(name), rows: rows)
    }

    /// A plan's published semesters in order, then (with `years`) its published years.
    private static func publishedPeriods(_ plan: ActionPlanModel, years: Bool, on database: any Database) async throws -> [ReportPeriod] {
        let semesters = try await PlanSemesterModel.query(on: database).filter(\.$plan.$id == plan.requireID()).sort(\.$month).all()
        let published = Set(try await SemesterPublicationModel.query(on: database).filter(\.$semester.$id ~~ semesters.compactMap(\.id)).all()
            .map { $0.$semester.id })
        var periods: [ReportPeriod] = semesters.filter { published.contains($0.id!) }.map { .semester($0.code) }
        if years {
            periods += try await YearPublicationModel.query(on: database).filter(\.$plan.$id == plan.requireID()).sort(\.$year).all()
                .map { .year($0.year) }
        }
        return periods
    }
}
