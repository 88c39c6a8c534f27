import Fluent
import Foundation
import Vapor

public enum EvaluationFormat: String, CaseIterable, Sendable {
    case html, json, csv
}

/// The evaluation report as a file, for the command line: the same document as the pages and the API.
public enum EvaluationExport {
    public static func render(planCode: String, semester: String?, year: String?, format: EvaluationFormat, language: Language,
                              app: Application) async throws -> (Data, String) {
        let period = try EvaluationQueries.parsePeriod(semester: semester, year: year)
        let built = try await EvaluationQueries.build(planCode: planCode, period: period, on: app.db)
        let note = try await EvaluationNoteModel.query(on: app.db).filter(\.$plan.$id == built.plan.requireID())
            .filter(\.$period == period.description).first()
        let document = EvaluationDocument(built, note: note, language: language, localizer: app.localizer, withCharts: format == .html)
        let name = "\(planCode)-\(period.description).\(format.rawValue)"
        switch format {
        case .csv:
            return (try document.csv(), name)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return (try encoder.encode(document), name)
        case .html:
            // The page template, rendered without a request: a standalone, printable file with the stylesheet inlined.
            let request = Request(application: app, method: .GET, url: URI(string: SiteURL.evaluation.path(planCode)), on: app.eventLoopGroup.next())
            request.language = language
            let page = EvaluationController.ReportPage(page: PageMeta(request: request, title: app.localizer.text("evaluation.title", language, [period.description])),
                                                       report: document, periodQuery: "", canEdit: false, publicationReason: document.publicationReason.ifAny, periods: [],
                                                       notes: EvaluationController.NotesForm(highlights: "", findings: "", followUps: ""),
                                                       errors: FormErrors(fields: EvaluationController.noteFields))
            var html = String(buffer: try await request.view.render("evaluation", page).get().data)
            let css = (try? String(contentsOfFile: app.directory.publicDirectory + "css/pantau.css", encoding: .utf8)) ?? ""
            html = html.replacingOccurrences(of: "<link rel=\"stylesheet\" href=\"/css/pantau.css\">", with: "<style>\(css)</style>")
            return (Data(html.utf8), name)
        }
    }
}
