/// The cells of a CSV file exactly as written (RFC 4180: quoted cells, doubled quotes, CRLF), without the byte-order
/// mark: what a spreadsheet program reads, before Pantau's own importer touches it.
enum CSVText {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = String.UnicodeScalarView()
        var quoted = false
        var scalars = text.unicodeScalars.drop { $0 == "\u{FEFF}" }.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" { cell.append("\""); pending = scalars.next() } else { quoted = false }
                } else {
                    cell.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": quoted = true
            case ",": row.append(String(cell)); cell = .init()
            case "\r" where pending == "\n": break
            case "\n": row.append(String(cell)); cell = .init(); rows.append(row); row = []
            default: cell.append(scalar)
            }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(String(cell)); rows.append(row) }
        return rows
    }

    /// Whether a spreadsheet would run the cell as a formula: it starts with =, +, -, @, tab or CR and is no plain number.
    static func startsLikeAFormula(_ cell: String) -> Bool {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return false }
        return cell.wholeMatch(of: /[+-]?[0-9]+(\.[0-9]+)?/) == nil
    }
}
