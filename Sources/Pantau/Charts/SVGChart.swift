import Foundation

/// Small server-drawn SVG charts: a donut for shares, horizontal bars for comparisons. Numbers are written on
/// every chart, and each slice has a hatching as well as a colour so that a black-and-white print still reads.
public enum SVGChart {
    public struct Item: Sendable {
        public let label: String
        public let count: Int
        public let percent: Int
        /// A stable key (a category or rating code) so the same thing has the same colour in every chart.
        public let key: String?
        /// What a bar says at its end, when not "count (percent%)": "80 · Baik".
        public let text: String?

        public init(label: String, count: Int, percent: Int, key: String? = nil, text: String? = nil) {
            self.label = label
            self.count = count
            self.percent = percent
            self.key = key
            self.text = text
        }
    }

    /// Fixed colours for the categories and ratings Pantau draws; others take colours by position.
    static let styleByKey: [String: Int] = [
        "baik": 0, "cukup": 1, "kurang": 2, "na": 3, "belum": 5, "not_scored": 5, "not_rated": 5,
        "aktif": 0, "semi_aktif": 1, "pasif": 2, "tidak_bisa_dilaksanakan": 4,
    ]

    static func style(_ item: Item, index: Int) -> Int { item.key.flatMap { styleByKey[$0] } ?? index % palette.count }

    /// Colour-blind-safe colours, each paired with a pattern.
    static let palette = ["#1b7837", "#f1a340", "#b2182b", "#6a6a6a", "#2166ac", "#9970ab"]

    static func patternDefinitions(prefix: String) -> String {
        let patterns = [
            "", // solid
            "<path d=\"M0,6 L6,0\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            "<path d=\"M0,0 L6,6\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"#fff\"/>",
            "<path d=\"M0,3 L6,3\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            "<path d=\"M3,0 L3,6\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
        ]
        return palette.indices.map { index in
            "<pattern id=\"\(prefix)-p\(index)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
                + "<rect width=\"6\" height=\"6\" fill=\"\(palette[index])\"/>\(patterns[index])</pattern>"
        }.joined()
    }

    /// A donut of shares with a legend below it that gives each slice's label, count and percent.
    /// `id` must be unique on the page (it names the patterns).
    public static func donut(_ items: [Item], title: String, id: String) -> String {
        let size = 180.0, radius = 80.0, inner = 46.0, center = size / 2, width = 300.0
        let total = items.reduce(0) { $0 + $1.count }
        var paths = ""
        var angle = -Double.pi / 2
        let offset = (width - size) / 2
        for (index, item) in items.enumerated() where item.count > 0 {
            let sweep = Double(item.count) / Double(max(total, 1)) * 2 * Double.pi
            let fill = "url(#\(id)-p\(style(item, index: index)))"
            if item.count == total {
                paths += "<circle cx=\"\(f(center))\" cy=\"\(f(center))\" r=\"\(f((radius + inner) / 2))\" fill=\"none\" stroke=\"\(fill)\" stroke-width=\"\(f(radius - inner))\"/>"
            } else {
                let end = angle + sweep
                let large = sweep > Double.pi ? 1 : 0
                let p1 = (center + radius * cos(angle), center + radius * sin(angle))
                let p2 = (center + radius * cos(end), center + radius * sin(end))
                let p3 = (center + inner * cos(end), center + inner * sin(end))
                let p4 = (center + inner * cos(angle), center + inner * sin(angle))
                paths += "<path class=\"slice\" d=\"M\(f(p1.0)),\(f(p1.1)) A\(f(radius)),\(f(radius)) 0 \(large) 1 \(f(p2.0)),\(f(p2.1)) "
                    + "L\(f(p3.0)),\(f(p3.1)) A\(f(inner)),\(f(inner)) 0 \(large) 0 \(f(p4.0)),\(f(p4.1)) Z\" fill=\"\(fill)\" stroke=\"#fff\" stroke-width=\"1\"/>"
                // Small slices are left to the legend, which gives every number.
                if item.percent >= 12 {
                    let middle = angle + sweep / 2, labelRadius = (radius + inner) / 2
                    paths += "<text x=\"\(f(center + labelRadius * cos(middle)))\" y=\"\(f(center + labelRadius * sin(middle) + 4))\" "
                        + "text-anchor=\"middle\" class=\"on-fill\">\(item.percent)%</text>"
                }
                angle = end
            }
        }
        paths += "<text x=\"\(f(center))\" y=\"\(f(center + 6))\" text-anchor=\"middle\" class=\"total\">\(total)</text>"
        var legend = ""
        for (index, item) in items.enumerated() {
            let y = Int(size) + 22 + 24 * index
            legend += "<rect x=\"10\" y=\"\(y - 13)\" width=\"16\" height=\"16\" fill=\"url(#\(id)-p\(style(item, index: index)))\" stroke=\"#333\" stroke-width=\".5\"/>"
                + "<text x=\"34\" y=\"\(y)\">\(escape(item.label)): \(item.count) (\(item.percent)%)</text>"
        }
        let height = Int(size) + 14 + 24 * items.count
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(height)\" role=\"img\" aria-labelledby=\"\(id)-title\">"
            + "<title id=\"\(id)-title\">\(escape(title))</title><defs>\(patternDefinitions(prefix: id))</defs>"
            + "<g transform=\"translate(\(f(offset)),0)\">\(paths)</g>\(legend)</svg>"
    }

    /// Horizontal bars, one per item, each labelled with its count and percent (or its own text). `maximum` is the
    /// value of a full bar (100 for scores), else the largest count.
    public static func bars(_ items: [Item], title: String, id: String, maximum: Int? = nil) -> String {
        let width = 460.0, labelWidth = 150.0, barSpace = width - labelWidth - 90
        let maximum = max(maximum ?? items.map(\.count).max() ?? 0, 1)
        var body = ""
        for (index, item) in items.enumerated() {
            let y = 10 + index * 28
            let length = Double(item.count) / Double(maximum) * barSpace
            body += "<text x=\"\(f(labelWidth - 6))\" y=\"\(y + 15)\" text-anchor=\"end\">\(escape(item.label))</text>"
                + "<rect x=\"\(f(labelWidth))\" y=\"\(y)\" width=\"\(f(max(length, 1)))\" height=\"20\" fill=\"url(#\(id)-p\(style(item, index: index)))\" stroke=\"#333\" stroke-width=\".5\"/>"
                + "<text x=\"\(f(labelWidth + length + 6))\" y=\"\(y + 15)\">\(escape(item.text ?? "\(item.count) (\(item.percent)%)"))</text>"
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(20 + items.count * 28)\" role=\"img\" aria-labelledby=\"\(id)-title\">"
            + "<title id=\"\(id)-title\">\(escape(title))</title><defs>\(patternDefinitions(prefix: id))</defs>\(body)</svg>"
    }

    /// One row per period, each a bar split by category: how the same commitments moved from one period to the next.
    /// Counts are written in every segment wide enough to hold them; the legend and the page's table give them all.
    public static func stacked(_ rows: [(label: String, items: [Item])], title: String, description: String, id: String) -> String {
        let width = 400.0, labelWidth = 64.0, barSpace = width - labelWidth - 8, rowHeight = 34.0
        var body = ""
        for (row, period) in rows.enumerated() {
            let y = 8 + Double(row) * rowHeight
            let total = max(period.items.reduce(0) { $0 + $1.count }, 1)
            body += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 19))\" text-anchor=\"end\">\(escape(period.label))</text>"
            var x = labelWidth
            for (index, item) in period.items.enumerated() where item.count > 0 {
                let length = Double(item.count) / Double(total) * barSpace
                body += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(length))\" height=\"26\" fill=\"url(#\(id)-p\(style(item, index: index)))\" stroke=\"#fff\" stroke-width=\"1\">"
                    + "<title>\(escape(period.label)): \(escape(item.label)) \(item.count)</title></rect>"
                if length >= 22 {
                    body += "<text x=\"\(f(x + length / 2))\" y=\"\(f(y + 19))\" text-anchor=\"middle\" class=\"on-fill\">\(item.count)</text>"
                }
                x += length
            }
        }
        // The legend: every category that appears, in the order of the first row that has it.
        var seen: [Item] = []
        for period in rows { for item in period.items where item.count > 0 && !seen.contains(where: { $0.key == item.key && $0.label == item.label }) { seen.append(item) } }
        var legend = ""
        let legendTop = 8 + Double(rows.count) * rowHeight + 12
        for (index, item) in seen.enumerated() {
            let y = legendTop + Double(index) * 24
            legend += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y))\" width=\"16\" height=\"16\" fill=\"url(#\(id)-p\(style(item, index: index)))\" stroke=\"#333\" stroke-width=\".5\"/>"
                + "<text x=\"\(f(labelWidth + 24))\" y=\"\(f(y + 13))\">\(escape(item.label))</text>"
        }
        let height = Int(legendTop + Double(seen.count) * 24 + 4)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(height)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
            + "<title id=\"\(id)-title\">\(escape(title))</title><desc id=\"\(id)-desc\">\(escape(description))</desc>"
            + "<defs>\(patternDefinitions(prefix: id))</defs>\(body)\(legend)</svg>"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
