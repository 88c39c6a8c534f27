import Foundation
import PantauDomain
import Vapor

/// Machine-readable descriptions of the open data: a Frictionless Data Package (`datapackage.json`: every file with
/// its Table Schema, keys and licence) and a DCAT catalogue entry in JSON-LD, each with the date of the last change.
/// Both are built from `OpenDataSchema`, so they describe exactly the files served.
struct OpenDataPackage {
    let tables: OpenDataTables
    let licence: DataLicence
    /// The plan the package is limited to, or nil for all plans.
    let planCode: String?

    private var base: String { tables.base }
    private var language: Language { tables.language }
    private func text(_ key: String, _ arguments: [String] = []) -> String { tables.localizer.text(key, language, arguments) }

    /// The absolute address of a table's file, for this package's plan.
    func fileURL(_ table: String, format: String) -> String {
        base + SiteURL.openDataFile.path("\(table).\(format)") + Self.query(plan: planCode, language: language)
    }

    /// `?plan=…&lang=…` as far as they differ from the defaults: the files of a package are in its language.
    static func query(plan: String?, language: Language) -> String {
        var items: [String] = []
        if let plan { items.append("plan=" + (plan.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? plan)) }
        if language != .default { items.append("lang=" + language.rawValue) }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    private var licenceObject: [String: Any] { ["name": licence.id, "title": licence.title, "path": licence.url] }

    private var packageName: String { "pantau" + (planCode.map { "-" + Self.slug($0) } ?? "") }

    /// Lower case letters, digits, `-`, `_` and `.`: what a Data Package name may hold.
    private static func slug(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
                ? Character(scalar) : "-"
        })
    }

    func dataPackage() -> [String: Any] {
        let modified = tables.lastModified.formatted(.iso8601)
        return [
            "profile": "tabular-data-package",
            "name": packageName,
            "title": planCode.map { text("data.package_title_plan", [$0]) } ?? text("data.package_title"),
            "description": text("data.intro"),
            "homepage": base + SiteURL.openData.path(),
            "licenses": [licenceObject],
            "created": modified,
            "last_modified": modified,
            "resources": OpenDataSchema.tables.map(resource),
        ]
    }

    private func resource(_ table: OpenDataSchema.Table) -> [String: Any] {
        var schema: [String: Any] = [
            "fields": table.fields.map(field),
            "primaryKey": [table.primaryKey],
        ]
        if !table.foreignKeys.isEmpty {
            schema["foreignKeys"] = table.foreignKeys.map { key in
                // A table's reference to itself names no resource (Table Schema).
                ["fields": [key.field], "reference": ["resource": key.table == table.name ? "" : key.table, "fields": [key.referencedField]]]
            }
        }
        return [
            "name": table.name,
            "title": text(table.titleKey),
            "path": fileURL(table.name, format: "csv"),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": ["delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true],
            "licenses": [licenceObject],
            "schema": schema,
        ]
    }

    private func field(_ field: OpenDataSchema.Field) -> [String: Any] {
        var object: [String: Any] = ["name": field.name, "type": field.type.rawValue, "description": text("data.column." + field.name)]
        if let format = field.format { object["format"] = format }
        if let codes = field.codes { object["constraints"] = ["enum": codes] }
        return object
    }

    /// The DCAT catalogue (JSON-LD): one dataset per table, each with its CSV and JSON distributions.
    func catalogue() -> [String: Any] {
        let modified = tables.lastModified.formatted(.iso8601)
        let home = base + SiteURL.openData.path()
        let licence = ["@id": self.licence.url]
        let publisher: [String: Any] = ["@type": "foaf:Agent", "foaf:name": text("site.name"), "foaf:homepage": ["@id": base + "/"]]
        return [
            "@context": [
                "dcat": "http://www.w3.org/ns/dcat#",
                "dct": "http://purl.org/dc/terms/",
                "foaf": "http://xmlns.com/foaf/0.1/",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
            ],
            "@id": base + SiteURL.openDataCatalogue.path() + Self.query(plan: planCode, language: language),
            "@type": "dcat:Catalog",
            "dct:title": planCode.map { text("data.package_title_plan", [$0]) } ?? text("data.package_title"),
            "dct:description": text("data.intro"),
            "dct:language": language.rawValue,
            "dct:license": licence,
            "dct:modified": ["@value": modified, "@type": "xsd:dateTime"],
            "dct:publisher": publisher,
            "foaf:homepage": ["@id": home],
            "dcat:dataset": OpenDataSchema.tables.map { table -> [String: Any] in
                [
                    "@id": home + "#t-" + table.name,
                    "@type": "dcat:Dataset",
                    "dct:identifier": packageName + "/" + table.name,
                    "dct:title": text(table.titleKey),
                    "dct:license": licence,
                    "dct:modified": ["@value": modified, "@type": "xsd:dateTime"],
                    "dct:publisher": publisher,
                    "dcat:landingPage": ["@id": home + "#t-" + table.name],
                    "dct:conformsTo": ["@id": base + SiteURL.openDataPackage.path() + Self.query(plan: planCode, language: language)],
                    "dcat:distribution": ["csv", "json"].map { format -> [String: Any] in
                        [
                            "@type": "dcat:Distribution",
                            "dct:title": text(table.titleKey) + " (" + format.uppercased() + ")",
                            "dcat:downloadURL": ["@id": fileURL(table.name, format: format)],
                            "dcat:accessURL": ["@id": fileURL(table.name, format: format)],
                            "dcat:mediaType": ["@id": "https://www.iana.org/assignments/media-types/" + (format == "csv" ? "text/csv" : "application/json")],
                            "dct:format": format.uppercased(),
                            "dct:license": licence,
                            "dct:modified": ["@value": modified, "@type": "xsd:dateTime"],
                        ]
                    },
                ]
            },
        ]
    }
}

extension Application {
    private struct DataLicenceKey: StorageKey { typealias Value = DataLicence }

    /// The licence of the open data (`PANTAU_DATA_LICENCE`), CC BY 4.0 by default.
    var dataLicence: DataLicence {
        get { storage[DataLicenceKey.self] ?? .ccBy4 }
        set { storage[DataLicenceKey.self] = newValue }
    }

    /// The site's address for links that leave the site (open data): `PANTAU_PUBLIC_URL`, else the address this
    /// server listens on. Never the request's Host header, which anyone can forge.
    var siteBase: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let configuration = http.server.configuration
        let host = ["0.0.0.0", "::", ""].contains(configuration.hostname) ? "localhost" : configuration.hostname
        // The port bound, which differs from the configured one when that was 0 (any free port).
        let port = http.server.shared.localAddress?.port ?? configuration.port
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
