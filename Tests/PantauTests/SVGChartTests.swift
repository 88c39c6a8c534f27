import Foundation
@testable import Pantau
import Testing

@Suite("SVG charts")
struct SVGChartTests {
    let items = [
        SVGChart.Item(label: "Baik", count: 8, percent: 45),
        SVGChart.Item(label: "Cukup", count: 4, percent: 22),
        SVGChart.Item(label: "Kurang", count: 6, percent: 33),
    ]

    @Test func aDonutWritesItsNumbersAndTitle() {
        let svg = SVGChart.donut(items, title: "Komitmen menurut kategori", id: "c1")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("<title id=\"c1-title\">Komitmen menurut kategori</title>"))
        #expect(svg.contains("role=\"img\""))
        for text in ["Baik: 8 (45%)", "Cukup: 4 (22%)", "Kurang: 6 (33%)", ">45%<", ">18<"] {
            #expect(svg.contains(text), "missing \(text)")
        }
        // One slice per non-empty category, each filled with a hatched pattern so it reads in black and white.
        #expect(svg.components(separatedBy: "<path class=\"slice\"").count - 1 == 3)
        #expect(svg.contains("url(#c1-p1)"))
        #expect(svg.contains("<pattern id=\"c1-p1\""))
    }

    @Test func aSingleCategoryIsAWholeRingAndEmptyOnesAreOnlyInTheLegend() {
        let svg = SVGChart.donut([SVGChart.Item(label: "Aktif", count: 5, percent: 100), SVGChart.Item(label: "Pasif", count: 0, percent: 0)],
                                 title: "t", id: "c2")
        #expect(svg.contains("<circle"))
        #expect(!svg.contains("class=\"slice\""))
        #expect(svg.contains("Pasif: 0 (0%)"))
    }

    @Test func nothingCountedStillDraws() {
        let svg = SVGChart.donut([SVGChart.Item(label: "Belum", count: 0, percent: 0)], title: "t", id: "c3")
        #expect(svg.contains(">0<"))
        #expect(!svg.contains("NaN"))
    }

    @Test func barsAreProportionalAndLabelled() throws {
        let svg = SVGChart.bars(items, title: "Target", id: "b1")
        let widths = svg.matches(of: /<rect x="150.0" y="\d+" width="([0-9.]+)"/).map { Double($0.1)! }
        #expect(widths.count == 3)
        #expect(abs(widths[0] / widths[1] - 2) < 0.01)
        #expect(svg.contains(">8 (45%)<"))
        #expect(svg.contains(">Kurang<"))
    }

    @Test func labelsAreEscaped() {
        let svg = SVGChart.bars([SVGChart.Item(label: "<script>&", count: 1, percent: 100)], title: "\"x\"", id: "b2")
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;&amp;"))
        #expect(svg.contains("&quot;x&quot;"))
    }
}
