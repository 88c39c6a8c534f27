import PantauDomain

/// Turns texts into what the search index stores and what a query looks for: the stems of their words
/// (`IndonesianStemmer`), the same on SQLite and PostgreSQL. Remembers each word's stems, since a plan repeats its
/// words thousands of times; one value lives for one rebuild or one query.
struct SearchTerms {
    private let stemmer: IndonesianStemmer
    private var known: [String: [String]] = [:]

    init(stemmer: IndonesianStemmer = .standard) {
        self.stemmer = stemmer
    }

    /// The text-search vector `to_tsvector('simple', terms)` makes of stored terms, as a tsvector literal (each word
    /// with its position; PostgreSQL merges repeated words as it reads it), when every term is plain letters a-z and
    /// digits (PostgreSQL's parser then reads each as one word, with the next position) and there are at most 255 of
    /// them (`to_tsvector` keeps 255 positions of a word, and with no more words none has more); nil otherwise, and
    /// PostgreSQL computes it. Made here because computing it in PostgreSQL was most of the cost of writing a big
    /// plan's search entries; one pass over the bytes, since a big plan has a million terms.
    static func postgresVector(of terms: String) -> String? {
        var literal: [UInt8] = []
        literal.reserveCapacity(terms.utf8.count * 2 + 8)
        var position = 0
        var inWord = false
        func endWord() {
            literal.append(UInt8(ascii: "'"))
            literal.append(UInt8(ascii: ":"))
            literal.append(contentsOf: String(position).utf8)
            inWord = false
        }
        for byte in terms.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if !inWord {
                    position += 1
                    guard position <= maximumWordsWritten else { return nil }
                    if position > 1 { literal.append(UInt8(ascii: " ")) }
                    literal.append(UInt8(ascii: "'"))
                    inWord = true
                }
                literal.append(byte)
            case UInt8(ascii: " "):
                if inWord { endWord() }
            default:
                return nil
            }
        }
        if inWord { endWord() }
        return String(decoding: literal, as: UTF8.self)
    }

    static let maximumWordsWritten = 255

    /// The stems of a text, separated by spaces, as the index stores them.
    mutating func indexed(_ text: String) -> String {
        stems(of: text).joined(separator: " ")
    }

    mutating func stems(of text: String) -> [String] {
        IndonesianStemmer.words(of: text).flatMap { word in
            if let stems = known[word] { return stems }
            let stems = stemmer.stems(ofWord: word)
            known[word] = stems
            return stems
        }
    }
}

/// What a person searched for, as stems: every stem must occur; the last may also be the start of a longer one,
/// for someone still typing ("lapo" finds "lapor").
struct SearchQuery {
    let stems: [String]
    /// The words as typed, folded, to find in a snippet.
    let words: [String]

    /// At most ten words count; the rest of a long query is ignored.
    init(_ text: String) {
        var terms = SearchTerms()
        let words = Array(IndonesianStemmer.words(of: text).prefix(10))
        self.words = words
        var stems: [String] = []
        for stem in words.flatMap({ terms.stems(of: $0) }) where !stems.contains(stem) { stems.append(stem) }
        self.stems = stems
    }

    var isEmpty: Bool { stems.isEmpty }

    /// An FTS5 query: each stem a quoted phrase, optionally limited to one column.
    func fts5(column: String? = nil) -> String {
        stems.enumerated().map { index, stem in
            (column.map { "\($0) : " } ?? "") + "\"\(stem)\"" + (index == stems.count - 1 ? "*" : "")
        }.joined(separator: " AND ")
    }

    /// A PostgreSQL tsquery for the 'simple' configuration (no stemming of its own): stems are letters and digits
    /// only, so quoting each is enough.
    var tsquery: String {
        stems.enumerated().map { index, stem in "'\(stem)'" + (index == stems.count - 1 ? ":*" : "") }.joined(separator: " & ")
    }
}
