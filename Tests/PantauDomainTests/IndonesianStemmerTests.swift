import PantauDomain
import Testing

/// Every word here is a word of the built-in plans (RAN OGI and RAN OPI 2020-2022) or their minutes; the expected roots
/// are those Sastrawi gives with the same root list.
@Suite("Indonesian stemmer")
struct IndonesianStemmerTests {
    let stemmer = IndonesianStemmer.standard

    /// The pairs the search must join: a query for either form finds both.
    @Test(arguments: [
        ("aduan", "pengaduan", "adu"),
        ("terbuka", "keterbukaan", "buka"),
        ("layanan", "pelayanan", "layan"),
        ("laporan", "pelaporan", "lapor"),
        ("pelaksana", "pelaksanaan", "laksana"),
        ("peningkatan", "meningkatkan", "tingkat"),
        ("pemerintah", "pemerintahan", "perintah"),
    ])
    func formsOfOneWordShareARoot(_ first: String, _ second: String, _ root: String) {
        #expect(stemmer.stem(first) == root)
        #expect(stemmer.stem(second) == root)
    }

    @Test(arguments: [
        // Prefixes with their sound changes: meng-, meny-, mem-, men-, peng-, peny-, pem-, pen-, ber-, ter-, per-.
        ("mengakses", "akses"), ("menyelesaikan", "selesai"), ("membangun", "bangun"), ("mendorong", "dorong"),
        ("pengelolaan", "kelola"), ("penyelenggaraan", "selenggara"), ("pemantauan", "pantau"), ("pendataan", "data"),
        ("berkelanjutan", "lanjut"), ("terintegrasi", "integrasi"), ("perlindungan", "lindung"), ("pelibatan", "libat"),
        // di-, ke-, se- and confixes.
        ("diselenggarakan", "selenggara"), ("kebijakan", "bijak"), ("keterlibatan", "libat"), ("sebagian", "bagi"),
        ("keberlanjutan", "lanjut"), ("pemberdayaan", "daya"), ("ketersediaan", "sedia"), ("kesepahaman", "paham"),
        // Particles and possessives.
        ("pelaksanaannya", "laksana"), ("tidaklah", "tidak"), ("pengaduannya", "adu"),
        // Words that are roots already stay as they are.
        ("partisipasi", "partisipasi"), ("informasi", "informasi"), ("kualitas", "kualitas"), ("berita", "berita"),
        ("masyarakat", "masyarakat"), ("publik", "publik"),
    ])
    func wordsOfThePlansReachTheirRoot(_ word: String, _ root: String) {
        #expect(stemmer.stem(word) == root, "\(word)")
    }

    @Test func aWordWithoutAKnownRootIsKeptWhole() {
        // Sastrawi's rule: better no root than a wrong one.
        #expect(stemmer.stem("xylofon") == "xylofon")
        #expect(stemmer.stem("Pelabuhan") == "pelabuhan")
        #expect(stemmer.stem("SP4N") == "sp4n")
    }

    @Test func textsBecomeFoldedTerms() {
        #expect(stemmer.terms(of: "Peningkatan Kualitas Penyelesaian Pengaduan Pelayanan Publik Melalui SP4N-LAPOR!")
            == ["tingkat", "kualitas", "selesai", "adu", "layan", "publik", "lalu", "sp4n", "lapor"])
        // Repetitions give one term, other hyphenated words the terms of their parts.
        #expect(stemmer.terms(of: "perundang-undangan, kata-kata; e-government") == ["undang", "kata", "e", "government"])
        #expect(stemmer.terms(of: "Keterbukaan Informasi Publik (KIP)") == ["buka", "informasi", "publik", "kip"])
        #expect(stemmer.terms(of: "Élite ÜBER café") == ["elite", "uber", "cafe"])
    }

    /// No input stops the process or takes long: the server stems whatever a plan or a query holds.
    @Test func anyInputIsSafe() {
        let inputs = ["", " ", "-", "--", "a-", "-a", "ku", "kau", "menge", "penge", "memp", "ber", "be-", "-lah", "nya-nya",
                      "İstanbul", "ẞ", "👍🏽", "\u{0}", "١٢٣", "漢字", "a\u{301}\u{301}\u{301}", String(repeating: "meng", count: 5000),
                      String(repeating: "a-", count: 5000), String(repeating: "İ", count: 1000) + "kan"]
        for input in inputs {
            let terms = stemmer.terms(of: input)
            #expect(terms.allSatisfy { !$0.isEmpty && $0.count <= IndonesianStemmer.longestWord }, "\(input.prefix(20))")
            _ = stemmer.stem(input)
        }
        #expect(stemmer.terms(of: "").isEmpty)
        #expect(stemmer.terms(of: String(repeating: "x", count: 1000)) == [String(repeating: "x", count: IndonesianStemmer.longestWord)])
    }

    @Test func aStemmerOnlyKnowsTheRootsItIsGiven() {
        let bare = IndonesianStemmer(rootWords: [])
        #expect(bare.stem("pengaduan") == "pengaduan")
        let withRoot = IndonesianStemmer(rootWords: ["adu"])
        #expect(withRoot.stem("pengaduan") == "adu")
    }
}
