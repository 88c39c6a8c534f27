import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `xl/sharedStrings.xml`: each `<si>` is one string, possibly in several rich-text runs.
final class SharedStringsParser: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false

    static func parse(_ data: Data) -> [String] {
        let delegate = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
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
        case "si": strings.append(current)
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

/// A worksheet's `<row>`s and `<c>`ells, resolving shared and inline strings.
final class SheetParser: NSObject, XMLParserDelegate {
    private let sharedStrings: [String]
    private var rows: [PlanTable.SourceRow] = []
    private var rowNumber = 0
    private var cells: [String] = []
    private var cellType = ""
    private var cellColumn = 0
    private var value = ""
    private var collecting = false

    init(sharedStrings: [String]) {
        self.sharedStrings = sharedStrings
    }

    static func parse(_ data: Data, sharedStrings: [String]) -> [PlanTable.SourceRow]? {
        let delegate = SheetParser(sharedStrings: sharedStrings)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        return parser.parse() ? delegate.rows : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch localName(name) {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            cellType = attributes["t"] ?? "n"
            cellColumn = attributes["r"].map(PlanXLSX.columnIndex(ofReference:)) ?? cells.count
            value = ""
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
            case "s": text = Int(value).flatMap { $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            case "n": text = Self.numberText(value)
            default: text = value
            }
            if cellColumn >= 0 {
                while cells.count < cellColumn { cells.append("") }
                if cells.count == cellColumn { cells.append(text) } else { cells[cellColumn] = text }
            }
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
