import Foundation

/// Text files must be UTF-8; a wrong encoding is reported with the line where it first shows.
enum TextDecoding {
    static func utf8(_ data: Data) throws -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return text }
        throw PlanImportError([ImportProblem(row: firstInvalidLine(bytes), key: "import.not_utf8")])
    }

    /// The 1-based line holding the first byte sequence that is not valid UTF-8.
    static func firstInvalidLine(_ bytes: Data) -> Int {
        var line = 1
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            if String(data: bytes[start..<end], encoding: .utf8) == nil { return line }
            line += 1
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        return line
    }
}
