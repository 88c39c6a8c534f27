/// The kinds of evidence file Pantau accepts, recognised from their content, never from their name.
public enum EvidenceFileType: String, CaseIterable, Codable, Sendable {
    case pdf, png, jpeg, gif, webp
    /// Office Open XML: Word, Excel and PowerPoint documents.
    case docx, xlsx, pptx
    /// OpenDocument text, spreadsheet and presentation.
    case odt, ods, odp
    /// Older Word, Excel and PowerPoint files (OLE compound documents).
    case legacyOffice = "legacy_office"
    /// Plain UTF-8 text, including CSV.
    case text

    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .ods: "application/vnd.oasis.opendocument.spreadsheet"
        case .odp: "application/vnd.oasis.opendocument.presentation"
        case .legacyOffice: "application/x-ole-storage"
        case .text: "text/plain; charset=utf-8"
        }
    }

    /// Recognises a file by its first bytes (and, for ZIP-based formats, the names inside it).
    /// `zipEntryNames` lists the archive's entries when the file is a ZIP; nil otherwise.
    public static func detect(_ bytes: [UInt8], zipEntryNames: [String]?) -> EvidenceFileType? {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)), bytes.count >= 12, Array(bytes[8..<12]) == Array("WEBP".utf8) { return .webp }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .legacyOffice }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            guard let names = zipEntryNames else { return nil }
            if names.contains(where: { $0.hasPrefix("word/") }) { return .docx }
            if names.contains(where: { $0.hasPrefix("xl/") }) { return .xlsx }
            if names.contains(where: { $0.hasPrefix("ppt/") }) { return .pptx }
            if names.contains("mimetype") {
                let text = String(decoding: bytes.prefix(120), as: UTF8.self)
                if text.contains("opendocument.text") { return .odt }
                if text.contains("opendocument.spreadsheet") { return .ods }
                if text.contains("opendocument.presentation") { return .odp }
            }
            return nil
        }
        // Text: valid UTF-8 with no control characters other than tab and line breaks.
        guard !bytes.isEmpty, String(validating: bytes, as: UTF8.self) != nil,
              !bytes.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return nil }
        return .text
    }
}
