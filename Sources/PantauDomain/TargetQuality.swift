import Foundation

/// A reason a target text may be hard to verify. The last evaluation found unclear targets to be the main
/// cause of poor scores, so drafts show these as hints while targets are written; they never block a save.
public enum TargetHint: Hashable, Sendable {
    /// The text names no result that can be checked afterwards (a document, a decision, a system available...).
    case noMeasurableResult
    /// The text gives no quantity: no number, share or "every/all".
    case noQuantity
    /// The text is an activity (the verb given, such as `sosialisasi`) with no outcome.
    case bareActivity(String)

    /// Localisation key of the hint's explanation.
    public var messageKey: String {
        switch self {
        case .noMeasurableResult: "hint.no_result"
        case .noQuantity: "hint.no_quantity"
        case .bareActivity: "hint.bare_activity"
        }
    }

    public var messageArguments: [String] {
        if case .bareActivity(let verb) = self { return [verb] }
        return []
    }
}

/// The rules that flag unclear targets, all in one place. They read Indonesian target texts as the plans
/// write them: an outcome is usually a `ter-…-nya` or `adanya` noun ("Tersedianya kajian…"), a passive of
/// adoption ("ditetapkan") or a named product ("laporan", "peraturan"); an activity is a bare noun of doing
/// ("Sosialisasi…", "Koordinasi dengan…").
public enum TargetQuality {
    /// Activities that on their own show effort, not a result.
    public static let activityWords: [String] = [
        "sosialisasi", "koordinasi", "rapat", "pertemuan", "diskusi", "fgd", "lokakarya", "workshop", "konsultasi",
        "audiensi", "fasilitasi", "pendampingan", "persiapan", "advokasi", "diseminasi", "kampanye", "seminar",
        "webinar", "bimtek", "asistensi",
    ]

    /// Words that name a checkable product.
    public static let productWords: Set<String> = [
        "dokumen", "rekomendasi", "naskah", "modul", "panduan", "pedoman", "peraturan", "regulasi", "keputusan", "sk",
        "kesepakatan", "mou", "perjanjian", "kebijakan", "standar", "sop", "kajian", "draf", "draft", "rancangan",
        "sistem", "portal", "aplikasi", "platform", "dasbor", "dashboard", "basis", "database", "dataset", "peta",
        "indeks", "daftar", "rencana", "strategi", "kurikulum", "fitur", "layanan", "kanal", "mekanisme",
    ]

    /// Words that state a reached result: a state, a delivery, a report of what happened.
    public static let outcomeWords: Set<String> = [
        "adanya", "hasil", "laporan", "notula", "berita", "penetapan", "pengesahan", "penerbitan", "peluncuran",
        "meningkat", "meningkatnya", "peningkatan", "menurun", "menurunnya", "penurunan",
        "ditetapkan", "disahkan", "diterbitkan", "diundangkan", "disusun", "diluncurkan", "diimplementasikan",
        "diterapkan", "disepakati", "dipublikasikan", "dioperasikan", "ditandatangani", "dibentuk", "diresmikan",
        "diintegrasikan", "tersedia", "tersusun", "terbit", "terbentuk", "terlaksana", "terselenggara",
        "terhubung", "terintegrasi", "terbangun", "terinventarisir", "teridentifikasi",
    ]

    /// Words that state an amount without digits.
    public static let quantityWords: Set<String> = [
        "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas",
        "belas", "puluh", "ratus", "ribu", "seratus", "seribu", "persen", "seluruh", "semua", "setiap", "tiap",
        "sebanyak", "minimal", "minimum", "maksimal", "paling", "sedikitnya", "separuh", "setengah", "seluruhnya",
    ]

    /// The hints for one target text, in a stable order; none for an empty text.
    public static func hints(for text: String) -> [TargetHint] {
        let words = self.words(in: text)
        guard !words.isEmpty else { return [] }
        var hints: [TargetHint] = []
        let hasOutcome = words.contains(where: isOutcomeWord)
        if !hasOutcome, !words.contains(where: productWords.contains) { hints.append(.noMeasurableResult) }
        if !hasQuantity(text, words: words) { hints.append(.noQuantity) }
        // "Sosialisasi peraturan" names a product, but only as the object of the activity: still no outcome.
        if !hasOutcome, let verb = leadingActivity(in: text) { hints.append(.bareActivity(verb)) }
        return hints
    }

    static func isOutcomeWord(_ word: String) -> Bool {
        if outcomeWords.contains(word) { return true }
        // Passives of doing something to the result: ditindaklanjuti, diselesaikan, digunakan (not diskusi, diseminasi).
        if word.count >= 7, word.hasPrefix("di"), word.hasSuffix("kan") || word.hasSuffix("i"), !activityWords.contains(word) { return true }
        // Nouns of a reached state: tersedianya, tersusunnya, terlaksananya, terselenggarakannya, terpilihnya.
        return word.count > 6 && word.hasPrefix("ter") && word.hasSuffix("nya")
    }

    /// The activity word an item of the target starts with, if any (targets are often numbered lists).
    static func leadingActivity(in text: String) -> String? {
        for item in items(of: text) {
            if let first = words(in: item).first, activityWords.contains(first) { return first }
        }
        return nil
    }

    static func hasQuantity(_ text: String, words: [String]) -> Bool {
        if text.contains("%") || words.contains(where: quantityWords.contains) { return true }
        // Digits count unless they only number a list item, name a year or belong to a name (COVID-19, 16.6 in SDGs is still a number).
        for item in items(of: text) {
            let scalars = Array(item.unicodeScalars)
            var index = 0
            while index < scalars.count {
                guard CharacterSet.decimalDigits.contains(scalars[index]) else { index += 1; continue }
                let start = index
                while index < scalars.count, CharacterSet.decimalDigits.contains(scalars[index]) { index += 1 }
                let number = String(String.UnicodeScalarView(scalars[start..<index]))
                let attached = start > 0 && (CharacterSet.letters.contains(scalars[start - 1]) || scalars[start - 1] == "-")
                let isYear = number.count == 4 && (number.hasPrefix("19") || number.hasPrefix("20"))
                if !attached, !isYear { return true }
            }
        }
        return false
    }

    /// The items of a numbered target ("1. … 2. …"), without their numbers; the whole text when not numbered.
    static func items(of text: String) -> [String] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.map { line in
            guard let marker = line.firstIndex(where: { !$0.isNumber }), marker != line.startIndex,
                  line[marker] == "." || line[marker] == ")" else { return line }
            return line[line.index(after: marker)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// Lower-case words, split on anything that is not a letter or digit.
    static func words(in text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
