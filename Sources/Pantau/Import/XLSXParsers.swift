import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `xl/sharedStrings.xml`: each `<si>` is one string, possibly in several rich-text runs.
final class SharedStringsParser: NSObject, XMLParserDelegate {
    private let maximumCount: Int
    private var strings: [String] = []
    private var current = ""
    private var inText = false
    private var tooMany = false

    private init(maximumCount: Int) {
        self.maximumCount = maximumCount
    }

    /// Refuses more than `maximumCount` strings: each costs memory however short its XML.
    static func parse(_ data: Data, maximumCount: Int) throws -> [String] {
        let delegate = SharedStringsParser(maximumCount: maximumCount)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        if delegate.tooMany {
            throw PlanImportError([ImportProblem(key: "import.xlsx_too_many_cells", arguments: ["\(maximumCount)"])])
        }
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(name) {
        case "si": current = ""
        case "t": inText = true
        case "rPh": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(name) {
        case "si":
            guard strings.count < maximumCount else {
                tooMany = true
                parser.abortParsing()
                return
            }
            strings.append(current)
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// A worksheet's `<row>`s and `<c>`ells, resolving shared and inline strings. A row keeps its cells up to its last
/// filled one; a cell or row that no spreadsheet has, or more cells than `maximumCells`, stops the reading with a problem.
final class SheetParser: NSObject, XMLParserDelegate {
    private let sharedStrings: [String]
    private let maximumCells: Int
    private var rows: [PlanTable.SourceRow] = []
    private var rowNumber = 0
    private var cells: [String] = []
    private var storedCells = 0
    private var cellType = ""
    private var cellColumn: Int?
    /// Where a cell without a reference goes: after the one before it.
    private var nextColumn = 0
    private var value = ""
    private var collecting = false
    private var problem: ImportProblem?

    private init(sharedStrings: [String], maximumCells: Int) {
        self.sharedStrings = sharedStrings
        self.maximumCells = maximumCells
    }

    static func parse(_ data: Data, sharedStrings: [String], maximumCells: Int) throws -> [PlanTable.SourceRow] {
        let delegate = SheetParser(sharedStrings: sharedStrings, maximumCells: maximumCells)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        let parsed = parser.parse()
        if let problem = delegate.problem { throw PlanImportError([problem]) }
        guard parsed else { throw PlanImportError([ImportProblem(key: "import.not_spreadsheet")]) }
        return delegate.rows
    }

    private func stop(_ parser: XMLParser, _ problem: ImportProblem) {
        self.problem = problem
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(name) {
        case "row":
            let number = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            guard (1...PlanXLSX.maximumRows).contains(number) else {
                return stop(parser, ImportProblem(key: "import.xlsx_row_beyond_limit", arguments: [attributes["r"] ?? "\(number)", "\(PlanXLSX.maximumRows)"]))
            }
            rowNumber = number
            cells = []
            nextColumn = 0
        case "c":
            cellType = attributes["t"] ?? "n"
            value = ""
            let reference = attributes["r"]
            cellColumn = reference.map(PlanXLSX.columnIndex(ofReference:)) ?? nextColumn
            guard let column = cellColumn else { return }
            guard column < PlanXLSX.maximumColumns else {
                let name = reference ?? PlanXLSX.columnName(column) + "\(rowNumber)"
                return stop(parser, ImportProblem(row: rowNumber, key: "import.xlsx_column_beyond_limit", arguments: [String(name.prefix(40))]))
            }
            nextColumn = column + 1
        case "v", "t":
            collecting = true
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch localName(name) {
        case "v", "t":
            collecting = false
        case "c":
            let text: String
            switch cellType {
            case "s": text = Int(value).flatMap { sharedStrings.indices.contains($0) ? sharedStrings[$0] : nil } ?? ""
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            case "n": text = Self.numberText(value)
            default: text = value
            }
            // An empty cell adds nothing: cells past the end of a row read as empty.
            guard let column = cellColumn, !text.isEmpty else { return }
            if column < cells.count {
                cells[column] = text
                return
            }
            storedCells += column + 1 - cells.count
            guard storedCells <= maximumCells else {
                return stop(parser, ImportProblem(key: "import.xlsx_too_many_cells", arguments: ["\(maximumCells)"]))
            }
            cells += repeatElement("", count: column - cells.count)
            cells.append(text)
        case "row":
            rows.append(PlanTable.SourceRow(number: rowNumber, cells: cells))
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { value += string }
    }

    /// Whole numbers are written without a decimal point ("3", not "3.0").
    private static func numberText(_ raw: String) -> String {
        if let number = Double(raw), number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        return raw
    }
}

/// The first `element`'s `attribute`, such as the first sheet's relationship id.
final class FirstAttributeParser: NSObject, XMLParserDelegate {
    private let element: String
    private let attribute: String
    private var found: String?

    init(element: String, attribute: String) {
        self.element = element
        self.attribute = attribute
    }

    static func value(in data: Data, element: String, attribute: String) -> String? {
        let delegate = FirstAttributeParser(element: element, attribute: attribute)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.found
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if found == nil, localName(name) == element { found = attributes[attribute] }
    }
}

/// The target of the relationship with a given id in a `.rels` part.
enum RelationshipParser {
    static func target(in data: Data, id: String) -> String? {
        final class Delegate: NSObject, XMLParserDelegate {
            let id: String
            var target: String?
            init(id: String) { self.id = id }
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if localName(name) == "Relationship", attributes["Id"] == id { target = attributes["Target"] }
            }
        }
        let delegate = Delegate(id: id)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.target
    }
}

private func localName(_ name: String) -> String {
    name.split(separator: ":").last.map(String.init) ?? name
}
