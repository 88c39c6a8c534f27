import Foundation

/// Reduces Indonesian words to their root ("pengaduan" and "aduan" to "adu", "keterbukaan" to "buka"), so that a
/// search finds every form of a word. The rules are those of Nazief and Adriani's confix-stripping stemmer with the
/// "enhanced" (ECS) additions, in the order and with the disambiguation that Sastrawi (MIT) implements: particles
/// (-lah, -kah, -tah, -pun), possessives (-ku, -mu, -nya), derivational suffixes (-i, -kan, -an), then up to three
/// prefixes (di-, ke-, se-, ber-, ter-, me-, pe-, per- and their sound changes), each step checked against a list of
/// root words. A word whose root is not in the list is kept as it is, as Sastrawi does.
///
/// Pure and deterministic: indexing and searching, on either database, get the same terms.
public struct IndonesianStemmer: Sendable {
    /// The stemmer with Pantau's own list of root words.
    public static let standard = IndonesianStemmer(rootWords: IndonesianRootWords.all)

    /// Words longer than this are not words to stem (a pasted link, a code): they are kept whole, which also bounds
    /// the work one word can cause.
    public static let longestStemmedWord = 40

    private let roots: Set<[UInt8]>

    public init<Words: Sequence<String>>(rootWords: Words) {
        roots = Set(rootWords.map { Array($0.lowercased().utf8) })
    }

    /// The search terms of a text: its words, lower-cased and without diacritics, each reduced to its root. A
    /// hyphenated word gives one term when it is a repetition ("kata-kata", "perundang-undangan") and the terms of
    /// its parts otherwise ("SP4N-LAPOR" gives "sp4n" and "lapor").
    public func terms(of text: String) -> [String] {
        Self.words(of: text).flatMap { stems(ofWord: $0) }
    }

    /// The terms of one word as `words(of:)` gives it (folded, letters and digits, perhaps joined by hyphens).
    public func stems(ofWord word: String) -> [String] {
        let parts = word.split(separator: "-", omittingEmptySubsequences: true).map(String.init)
        if parts.count <= 1 { return [stem(parts.first ?? word)] }
        if parts.count == 2, let plural = stemRepetition(parts[0], parts[1]) { return [plural] }
        if parts.count == 3, Self.particles.contains(parts[2]), let plural = stemRepetition(parts[0], parts[1] + parts[2]) {
            return [plural]
        }
        return parts.map(stem)
    }

    /// The root of one word without hyphens, or the word itself (lower-cased) if no root is found.
    public func stem(_ word: String) -> String {
        let folded = word.lowercased()
        let bytes = Array(folded.utf8)
        guard bytes.count > 3, bytes.count <= Self.longestStemmedWord, bytes.allSatisfy(isLetter) else { return folded }
        return String(decoding: stemSingular(bytes), as: UTF8.self)
    }

    /// A word longer than this is cut to this length, in the index and in a query alike: no one types it, and the
    /// index stays bounded whatever a text holds.
    public static let longestWord = 64

    /// Splits a text into folded words: runs of letters and digits, with hyphens kept inside a word.
    public static func words(of text: String) -> [String] {
        let words = asciiWords(of: text) ?? foldedWords(of: text)
        return words.map { $0.count > longestWord ? String($0.prefix(longestWord)) : $0 }
    }

    /// The words of a text that is plain ASCII, as most plan text is, read byte by byte: the same words as
    /// `foldedWords`, many times faster (folding and grapheme breaking cost more than the stemming of a big plan).
    private static func asciiWords(of text: String) -> [String]? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> [String]? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var words: [String] = []
            var current: [UInt8] = []
            var pendingHyphen = false
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if pendingHyphen { current.append(UInt8(ascii: "-")) }
                    pendingHyphen = false
                    current.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
                case UInt8(ascii: "-") where !current.isEmpty:
                    pendingHyphen = true
                default:
                    if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                    current.removeAll(keepingCapacity: true)
                    pendingHyphen = false
                }
            }
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            return words
        } ?? nil
    }

    /// Any text: folded to lower case without diacritics, then split on what is not a letter or a digit, the same
    /// state machine as `asciiWords`.
    private static func foldedWords(of text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        var pendingHyphen = false
        for character in folded {
            if character.isLetter || character.isNumber {
                if pendingHyphen { current.append("-") }
                pendingHyphen = false
                current.append(character)
            } else if character == "-" && !current.isEmpty {
                pendingHyphen = true
            } else {
                if !current.isEmpty { words.append(current) }
                current = ""
                pendingHyphen = false
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    // MARK: - Repetition ("berbalas-balasan", "meniru-nirukan")

    private static let particles: Set<String> = ["ku", "mu", "nya", "lah", "kah", "tah", "pun"]

    /// The common root of a repeated word's two halves, if they have one.
    private func stemRepetition(_ first: String, _ second: String) -> String? {
        let firstRoot = stem(first)
        var secondRoot = stem(second)
        if !roots.contains(Array(second.utf8)) && secondRoot == second {
            secondRoot = stem("me" + second)
        }
        return firstRoot == secondRoot ? firstRoot : nil
    }

    // MARK: - One word (Sastrawi's Context)

    private typealias Word = [UInt8]
    /// One way of reading a prefix: what would remain of the word, if the reading applies.
    private typealias Reading = @Sendable (Word) -> Word?

    private enum AffixKind { case particle, possessive, derivationalSuffix, prefix }

    private struct Removal {
        /// The word before this removal.
        let subject: Word
        let result: Word
        let kind: AffixKind
        let removedPart: Word

        var isSuffix: Bool { kind != .prefix }
    }

    private struct State {
        var current: Word
        var removals: [Removal] = []

        mutating func apply(_ result: Word, kind: AffixKind, removedPart: Word) {
            removals.append(Removal(subject: current, result: result, kind: kind, removedPart: removedPart))
            current = result
        }
    }

    private func isRoot(_ word: Word) -> Bool { roots.contains(word) }

    private func stemSingular(_ original: Word) -> Word {
        if isRoot(original) { return original }
        var state = State(current: original)
        // Some confixes are undone prefix first ("be-…-an", "me-…-i"); if that finds no root, the usual order follows.
        if Self.prefixGoesFirst(original) {
            removePrefixes(&state)
            if isRoot(state.current) { return state.current }
            removeSuffixes(&state)
            if isRoot(state.current) { return state.current }
            state = State(current: original)
        }
        removeSuffixes(&state)
        if isRoot(state.current) { return state.current }
        removePrefixes(&state)
        if isRoot(state.current) { return state.current }
        restoreSuffixesAndRetry(&state)
        return isRoot(state.current) ? state.current : original
    }

    private static func prefixGoesFirst(_ word: Word) -> Bool {
        let confixes: [(String, String)] = [("be", "lah"), ("be", "an"), ("me", "i"), ("di", "i"), ("pe", "i"), ("ter", "i")]
        return confixes.contains { word.starts(with: $0.0.utf8) && word.ends(with: $0.1) && word.count >= $0.0.utf8.count + $0.1.utf8.count }
    }

    private func removeSuffixes(_ state: inout State) {
        for (kind, remove) in [(AffixKind.particle, Self.removeParticle), (.possessive, Self.removePossessive),
                               (.derivationalSuffix, Self.removeDerivationalSuffix)] {
            if let result = remove(state.current), result != state.current {
                state.apply(result, kind: kind, removedPart: Array(state.current[result.count...]))
            }
            if isRoot(state.current) { return }
        }
    }

    private func removePrefixes(_ state: inout State) {
        for _ in 0..<3 {
            let removalsBefore = state.removals.count
            for rule in Self.prefixRules {
                if let result = disambiguate(state.current, rule), !result.isEmpty {
                    state.apply(result, kind: .prefix, removedPart: [])
                }
                if isRoot(state.current) { return }
                if state.removals.count > removalsBefore { break }
            }
            if isRoot(state.current) { return }
        }
    }

    /// A rule's readings of the word: the first that is a root, else the last one that applies.
    private func disambiguate(_ word: Word, _ readings: [Reading]) -> Word? {
        var result: Word?
        for reading in readings {
            result = reading(word)
            if let result, isRoot(result) { break }
        }
        return result
    }

    /// ECS: when no root was found, put the suffixes back one at a time ("-kan" first as "-k") and undo the prefixes
    /// again, for words like "pemerintah", whose "-tah" is not a particle.
    private func restoreSuffixesAndRetry(_ state: inout State) {
        guard let first = state.removals.first else { return }
        let restored = first.subject
        let suffixRemovals = state.removals.filter(\.isSuffix)
        for removal in suffixRemovals.reversed() {
            if removal.removedPart == Array("kan".utf8) {
                state = State(current: removal.result + Array("k".utf8))
                removePrefixes(&state)
                if isRoot(state.current) { return }
                state = State(current: removal.result + Array("kan".utf8))
            } else {
                state = State(current: removal.subject)
            }
            removePrefixes(&state)
            if isRoot(state.current) { return }
            state = State(current: restored)
        }
        state = State(current: restored)
    }

    // MARK: - Suffixes

    private static func removeParticle(_ word: Word) -> Word? {
        removeEnding(word, among: ["lah", "kah", "tah", "pun"])
    }

    private static func removePossessive(_ word: Word) -> Word? {
        removeEnding(word, among: ["ku", "mu", "nya"])
    }

    /// "-i", "-kan", "-an", and the borrowed "-is", "-isme", "-isasi": the longest ending that matches.
    private static func removeDerivationalSuffix(_ word: Word) -> Word? {
        for ending in ["isasi", "isme", "kan", "is", "an", "i"] where word.ends(with: ending) {
            return Array(word.dropLast(ending.utf8.count))
        }
        return nil
    }

    /// Removes one of the endings and any hyphens before it ("bukunya", "buku-nya").
    private static func removeEnding(_ word: Word, among endings: [String]) -> Word? {
        for ending in endings where word.ends(with: ending) {
            var rest = Array(word.dropLast(ending.utf8.count))
            while rest.last == UInt8(ascii: "-") { rest.removeLast() }
            return rest
        }
        return nil
    }

    // MARK: - Prefixes, in Sastrawi's order

    /// Each rule is a list of readings tried in turn (`disambiguate`); the rules are numbered as in the literature.
    private static let prefixRules: [[Reading]] = [
        // di-, ke-, se-
        [{ w in w.dropping(anyOf: ["di", "ke", "se"]) }],
        // 1: berV -> ber-V | be-rV
        [{ w in w.after("ber", where: { isVowel($0[0]) }) }, { w in w.after("ber", where: { isVowel($0[0]) }).map { "r" + $0 } }],
        // 2: berCAP -> ber-CAP, P not "er"
        [{ w in w.after("ber", where: { $0.count >= 2 && isConsonant($0[0]) && isLetter($0[1]) && !$0.dropFirst(2).starts(with: "er".utf8) }) }],
        // 3: berCAerV -> ber-CAerV, C not "r"
        [{ w in w.after("ber", where: { $0.count >= 5 && isConsonant($0[0]) && $0[0] != r && isLetter($0[1]) && $0[2] == e && $0[3] == r && isVowel($0[4]) }) }],
        // 4: belajar -> bel-ajar
        [{ w in w == Array("belajar".utf8) ? Array("ajar".utf8) : nil }],
        // 5: beC1erC2 -> be-C1erC2, C1 not "r"
        [{ w in w.after("be", where: { $0.count >= 4 && isConsonant($0[0]) && $0[0] != r && $0[1] == e && $0[2] == r && isConsonant($0[3]) }) }],
        // 6: terV -> ter-V | te-rV
        [{ w in w.after("ter", where: { isVowel($0[0]) }) }, { w in w.after("ter", where: { isVowel($0[0]) }).map { "r" + $0 } }],
        // 7: terCerV -> ter-CerV, C not "r"
        [{ w in w.after("ter", where: { $0.count >= 4 && isConsonant($0[0]) && $0[0] != r && $0[1] == e && $0[2] == r && isVowel($0[3]) }) }],
        // 8: terCP -> ter-CP, C not "r", P not "er"
        [{ w in w.after("ter", where: { isConsonant($0[0]) && $0[0] != r && !$0.dropFirst().starts(with: "er".utf8) }) }],
        // 9: teC1erC2 -> te-C1erC2, C1 not "r"
        [{ w in w.after("te", where: { $0.count >= 4 && isConsonant($0[0]) && $0[0] != r && $0[1] == e && $0[2] == r && isConsonant($0[3]) }) }],
        // 10: me{l|r|w|y}V -> me-{l|r|w|y}V
        [{ w in w.after("me", where: { $0.count >= 2 && "lrwy".utf8.contains($0[0]) && isVowel($0[1]) }) }],
        // 11: mem{b|f|v} -> mem-{b|f|v}
        [{ w in w.after("mem", where: { "bfv".utf8.contains($0[0]) }) }],
        // 12: mempe -> mem-pe
        [{ w in w.after("mem", where: { $0.starts(with: "pe".utf8) }) }],
        // 13: mem{rV|V} -> me-m{rV|V} | me-p{rV|V}
        [{ w in w.after("mem", where: { isVowel($0[0]) }).map { "m" + $0 } }, { w in w.after("mem", where: { isVowel($0[0]) }).map { "p" + $0 } }],
        // 14: men{c|d|j|s|t|z} -> men-{c|d|j|s|t|z}
        [{ w in w.after("men", where: { "cdjstz".utf8.contains($0[0]) }) }],
        // 15: menV -> me-nV | me-tV
        [{ w in w.after("men", where: { isVowel($0[0]) }).map { "n" + $0 } }, { w in w.after("men", where: { isVowel($0[0]) }).map { "t" + $0 } }],
        // 16: meng{g|h|q|k} -> meng-{g|h|q|k}
        [{ w in w.after("meng", where: { "ghqk".utf8.contains($0[0]) }) }],
        // 17: mengV -> meng-V | meng-kV | (menge-) | me-ngV
        [{ w in w.after("meng", where: { isVowel($0[0]) }) }, { w in w.after("meng", where: { isVowel($0[0]) }).map { "k" + $0 } },
         { w in w.starts(with: "menge".utf8) ? Array(w.dropFirst(5)) : nil }, { w in w.after("meng", where: { isVowel($0[0]) }).map { "ng" + $0 } }],
        // 18: menyV -> me-nyV | meny-sV
        [{ w in w.after("meny", where: { isVowel($0[0]) }).map { "ny" + $0 } }, { w in w.after("meny", where: { isVowel($0[0]) }).map { "s" + $0 } }],
        // 19: mempA -> mem-pA, A not "e"
        [{ w in w.after("memp", where: { isLetter($0[0]) && $0[0] != e && $0[0] != UInt8(ascii: "n") }).map { "p" + $0 } }],
        // 20: pe{w|y}V -> pe-{w|y}V
        [{ w in w.after("pe", where: { $0.count >= 2 && "wy".utf8.contains($0[0]) && isVowel($0[1]) }) }],
        // 21: perV -> per-V | pe-rV
        [{ w in w.after("per", where: { isVowel($0[0]) }) }, { w in w.after("pe", where: { $0.count >= 2 && $0[0] == r && isVowel($0[1]) }) }],
        // 23: perCAP -> per-CAP, P not "er"
        [{ w in w.after("per", where: { $0.count >= 2 && isConsonant($0[0]) && isLetter($0[1]) && !$0.dropFirst(2).starts(with: "er".utf8) }) }],
        // 24: perCAerV -> per-CAerV, C not "r"
        [{ w in w.after("per", where: { $0.count >= 5 && isConsonant($0[0]) && $0[0] != r && isLetter($0[1]) && $0[2] == e && $0[3] == r && isVowel($0[4]) }) }],
        // 25: pem{b|f|v} -> pem-{b|f|v}
        [{ w in w.after("pem", where: { "bfv".utf8.contains($0[0]) }) }],
        // 26: pem{rV|V} -> pe-m{rV|V} | pe-p{rV|V}
        [{ w in w.after("pem", where: { isVowel($0[0]) }).map { "m" + $0 } }, { w in w.after("pem", where: { isVowel($0[0]) }).map { "p" + $0 } }],
        // 27: pen{c|d|j|z} -> pen-{c|d|j|z}
        [{ w in w.after("pen", where: { "cdjz".utf8.contains($0[0]) }) }],
        // 28: penV -> pe-nV | pe-tV
        [{ w in w.after("pen", where: { isVowel($0[0]) }).map { "n" + $0 } }, { w in w.after("pen", where: { isVowel($0[0]) }).map { "t" + $0 } }],
        // 29: pengC -> peng-C
        [{ w in w.after("peng", where: { isConsonant($0[0]) }) }],
        // 30: pengV -> peng-V | peng-kV | (penge-)
        [{ w in w.after("peng", where: { isVowel($0[0]) }) }, { w in w.after("peng", where: { isVowel($0[0]) }).map { "k" + $0 } },
         { w in w.starts(with: "penge".utf8) ? Array(w.dropFirst(5)) : nil }],
        // 31: penyV -> pe-nyV | peny-sV
        [{ w in w.after("peny", where: { isVowel($0[0]) }).map { "ny" + $0 } }, { w in w.after("peny", where: { isVowel($0[0]) }).map { "s" + $0 } }],
        // 32: pelV -> pe-lV, but pelajar -> pel-ajar
        [{ w in w == Array("pelajar".utf8) ? Array("ajar".utf8) : w.after("pe", where: { $0.count >= 2 && $0[0] == l && isVowel($0[1]) }) }],
        // 34: peCP -> pe-CP, P not "er"
        [{ w in w.after("pe", where: { isConsonant($0[0]) && !$0.dropFirst().starts(with: "er".utf8) }) }],
        // 35: terC1erC2 -> ter-C1erC2
        [{ w in w.after("ter", where: { $0.count >= 4 && "bcdfghjkpqstvxz".utf8.contains($0[0]) && $0[1] == e && $0[2] == r && isConsonant($0[3]) }) }],
        // 36: peC1erC2 -> pe-C1erC2
        [{ w in w.after("pe", where: { $0.count >= 4 && "bcdfghjkpqstvxz".utf8.contains($0[0]) && $0[1] == e && $0[2] == r && isConsonant($0[3]) }) }],
        // 37-40: infixes CerV, CelV, CemV, CinV -> the word itself | CV
        infixRule("er"), infixRule("el"), infixRule("em"), infixRule("in"),
        // 41, 42: ku-, kau-
        [{ w in w.after("ku", where: { _ in true }) }],
        [{ w in w.after("kau", where: { _ in true }) }],
    ]

    private static func infixRule(_ infix: String) -> [Reading] {
        let infix = Array(infix.utf8)
        let matches: @Sendable (Word) -> Bool = { w in w.count >= 4 && isConsonant(w[0]) && w[1] == infix[0] && w[2] == infix[1] && isVowel(w[3]) }
        return [{ w in matches(w) ? w : nil }, { w in matches(w) ? [w[0]] + w.dropFirst(3) : nil }]
    }
}

// MARK: - Letters

private let e = UInt8(ascii: "e")
private let l = UInt8(ascii: "l")
private let r = UInt8(ascii: "r")

private func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
private func isVowel(_ byte: UInt8) -> Bool { "aiueo".utf8.contains(byte) }
private func isConsonant(_ byte: UInt8) -> Bool { isLetter(byte) && !isVowel(byte) }

private func + (lhs: String, rhs: [UInt8]) -> [UInt8] { Array(lhs.utf8) + rhs }

private extension Array where Element == UInt8 {
    func ends(with ending: String) -> Bool {
        let ending = Array(ending.utf8)
        return count >= ending.count && self[(count - ending.count)...].elementsEqual(ending)
    }

    /// What follows `prefix`, if the word starts with it and the rest is not empty and passes `condition`.
    func after(_ prefix: String, where condition: ([UInt8]) -> Bool) -> [UInt8]? {
        let prefix = prefix.utf8
        guard count > prefix.count, starts(with: prefix) else { return nil }
        let rest = Array(dropFirst(prefix.count))
        return condition(rest) ? rest : nil
    }

    func dropping(anyOf prefixes: [String]) -> [UInt8]? {
        for prefix in prefixes where starts(with: prefix.utf8) { return Array(dropFirst(prefix.utf8.count)) }
        return nil
    }
}
