import Fluent
import Foundation
import PantauDomain
import Vapor

/// Open data: every public table as CSV or JSON, for one plan (`?plan=CODE`) or for all of them, described by a
/// data dictionary page, a Data Package and a DCAT catalogue (`OpenDataSchema`, `OpenDataTables`, `OpenDataPackage`).
struct OpenDataController {
    func dictionary(req: Request) async throws -> View {
        let plans = try await ActionPlanModel.query(on: req.db).sort(\.$code).all().map(\.code)
        let tables = OpenDataSchema.tables.map { table in
            DictionaryPage.Table(name: table.name, titleKey: table.titleKey, columns: table.fields.map {
                DictionaryPage.Column(name: $0.name, type: $0.type.rawValue, meaningKey: "data.column." + $0.name)
            }, key: table.primaryKey, csvURL: SiteURL.openDataFile.path(table.name + ".csv"), jsonURL: SiteURL.openDataFile.path(table.name + ".json"))
        }
        let licence = req.application.dataLicence
        return try await req.view.render("data", DictionaryPage(page: PageMeta(request: req, title: req.t("data.title")), tables: tables, plans: plans,
                                                                licenceTitle: licence.title, licenceURL: licence.url,
                                                                packageURL: SiteURL.openDataPackage.path(), catalogueURL: SiteURL.openDataCatalogue.path()))
    }

    func download(req: Request) async throws -> Response {
        let file: String = try req.parameters.require("file")
        let parts = file.split(separator: ".")
        guard parts.count == 2, let table = OpenDataSchema.table(String(parts[0])), ["csv", "json"].contains(parts[1]) else {
            throw AppError.http(.notFound)
        }
        let plan = Self.plan(req)
        let tables = try await Self.tables(req, plan: plan)
        let rows = try await tables.rows(of: table.name, on: req.db)
        let response: Response
        if parts[1] == "csv" {
            // No byte-order mark: most tools would read it into the first column's name.
            response = Response(status: .ok, body: .init(data: try PlanCSV.encode([table.columns] + rows.map { $0.map(\.csvText) }, byteOrderMark: false)))
            response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        } else {
            let file = JSONFile(table: table.name, title: req.t(table.titleKey), plan: plan, licence: .init(req.application.dataLicence),
                                lastModified: tables.lastModified.formatted(.iso8601),
                                describedBy: req.application.siteBase + SiteURL.openDataPackage.path() + OpenDataPackage.query(plan: plan, language: req.language),
                                rows: rows.map { Dictionary(uniqueKeysWithValues: zip(table.columns, $0)) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            response = Response(status: .ok, body: .init(data: try encoder.encode(file)))
            response.headers.contentType = .json
        }
        Self.describe(response, req: req, lastModified: tables.lastModified, plan: plan)
        response.headers.setAttachment(filename: "\(plan.map { $0 + "-" } ?? "")\(file)")
        return response
    }

    /// `datapackage.json`: every file with its Table Schema, for all plans or `?plan=`.
    func dataPackage(req: Request) async throws -> Response {
        let plan = Self.plan(req)
        let package = OpenDataPackage(tables: try await Self.tables(req, plan: plan), licence: req.application.dataLicence, planCode: plan)
        return try Self.json(package.dataPackage(), contentType: "application/json", req: req, package: package)
    }

    /// The DCAT catalogue entry (JSON-LD) of the same files.
    func catalogue(req: Request) async throws -> Response {
        let plan = Self.plan(req)
        let package = OpenDataPackage(tables: try await Self.tables(req, plan: plan), licence: req.application.dataLicence, planCode: plan)
        return try Self.json(package.catalogue(), contentType: "application/ld+json", req: req, package: package)
    }

    private static func json(_ object: [String: Any], contentType: String, req: Request, package: OpenDataPackage) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: contentType + "; charset=utf-8")
        describe(response, req: req, lastModified: package.tables.lastModified, plan: package.planCode)
        return response
    }

    private static func plan(_ req: Request) -> String? {
        (try? req.query.get(String.self, at: "plan")).flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func tables(_ req: Request, plan: String?) async throws -> OpenDataTables {
        guard let tables = try await OpenDataTables.load(plan: plan, language: req.language, localizer: req.application.localizer,
                                                         base: req.application.siteBase, on: req.db)
        else { throw AppError.planNotFound(code: plan ?? "") }
        return tables
    }

    /// What every file says about itself in its headers: its licence and its Data Package (`Link`), and when its
    /// data last changed.
    private static func describe(_ response: Response, req: Request, lastModified: Date, plan: String?) {
        let licence = req.application.dataLicence
        let package = req.application.siteBase + SiteURL.openDataPackage.path() + OpenDataPackage.query(plan: plan, language: req.language)
        response.headers.replaceOrAdd(name: "Link", value: "<\(licence.url)>; rel=\"license\", <\(package)>; rel=\"describedby\"; type=\"application/json\"")
        response.headers.lastModified = HTTPHeaders.LastModified(lastModified)
    }
}
