import Foundation

/// The `id`s of a commitment page's measures and targets, which search hits link to (a measure, or the target a
/// report is on). The page and the search index
/// both take them from here, so a hit cannot point at an anchor the page no longer has.
enum CommitmentAnchor {
    /// `measure-2-3`: the third measure of the second goal, numbered as the page shows them.
    static func measure(goal: Int, measure: Int) -> String {
        "measure-\(goal)-\(measure)"
    }

    /// `target-2-3-B06`: that measure's target for semester B06.
    static func target(goal: Int, measure: Int, semester: String) -> String {
        "target-\(goal)-\(measure)-" + plain(semester)
    }

    /// `monitoring-B06`: the independent monitor's published assessment of semester B06.
    static func monitoring(semester: String) -> String {
        "monitoring-" + plain(semester)
    }

    /// A semester code is short and plain ("B06"); anything else is dropped so the id stays valid in a URL.
    private static func plain(_ semester: String) -> String {
        String(semester.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }.prefix(16))
    }

    /// The stable anchor of a commitment, goal, measure or target: its id, as in the API and the open data. It stays
    /// when a revision renumbers what the positional anchors above count.
    static func id(_ id: UUID) -> String {
        id.uuidString
    }

    static func url(planCode: String, commitment: Int, anchor: String? = nil) -> String {
        SiteURL.commitment.path(planCode, commitment) + (anchor.map { "#" + $0 } ?? "")
    }
}
