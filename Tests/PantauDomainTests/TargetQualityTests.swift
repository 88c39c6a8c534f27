import PantauDomain
import Testing

/// Every text here is a real target of the RAN OGI 2020-2022 as the built-in plan carries it.
@Suite("Target quality hints")
struct TargetQualityTests {
    @Test(arguments: [
        "Sosialisasi peraturan revisi PERKI SLIP pada publik",
        "Sosialisasi peraturan revisi PERKI SLIP pada Badan Publik terutama K/L",
        "Koordinasi dengan LKPP mengenai persiapan pengembangan portal pengadaan nasional atau sistem informasi terkait pengadaan barang dan jasa dalam kondisi darurat",
    ])
    func bareActivitiesAreFlaggedWithTheirVerb(_ text: String) {
        let hints = TargetQuality.hints(for: text)
        let verb = String(text.split(separator: " ")[0]).lowercased()
        #expect(hints.contains(.bareActivity(verb)))
        #expect(hints.contains(.noQuantity))
    }

    @Test func anActivityOnAProductIsStillAnActivity() {
        // "peraturan" names a product, but the target is to socialise it: no outcome is stated.
        #expect(TargetQuality.hints(for: "Sosialisasi peraturan revisi PERKI SLIP pada publik") == [.noQuantity, .bareActivity("sosialisasi")])
        let bare = TargetQuality.hints(for: "Pendampingan Pemerintah Daerah untuk mendorong partisipasi masyarakat dalam penyampaian aduan")
        #expect(bare == [.noMeasurableResult, .noQuantity, .bareActivity("pendampingan")])
    }

    @Test func aNamedProductWithAQuantityPasses() {
        #expect(TargetQuality.hints(for: "1. Tersedianya layer akses publik di sistem basis data BO\n2. 30% peningkatan akses oleh publik per triwulanan").isEmpty)
        #expect(TargetQuality.hints(for: "Tersedianya layer akses Aparat Penegak Hukum (APH) di sistem basis data BO\n2. 10% Peningkatan akses oleh APH untuk kebutuhan penanganan perkara").isEmpty)
    }

    @Test func aNamedProductWithoutQuantityOnlyLacksTheQuantity() {
        #expect(TargetQuality.hints(for: "Tersedianya kajian ekosistem keterbukaan data pemilu Indonesia") == [.noQuantity])
        #expect(TargetQuality.hints(for: "Terselenggarakannya pemantauan uji coba rekapitulasi elektronik di beberapa daerah") == [.noQuantity])
        #expect(TargetQuality.hints(for: "Tersedianya peraturan Kejaksaan Agung terkait asesmen pemenuhan kebutuhan akomodasi yang layak bagi penyandang disabilitas") == [.noQuantity])
    }

    @Test func processWordsWithoutAResultAreFlagged() {
        #expect(TargetQuality.hints(for: "Pemetaan kebutuhan terkait pelatihan bantuan hukum dalam penanganan perkara sengketa informasi")
            == [.noMeasurableResult, .noQuantity])
        #expect(TargetQuality.hints(for: "Persiapan pilot project Evaluasi Program Pembangunan Berbasis Masyarakat di beberapa desa")
            == [.noMeasurableResult, .noQuantity, .bareActivity("persiapan")])
    }

    @Test func listNumbersYearsAndNamesAreNotQuantities() {
        #expect(TargetQuality.hints(for: "1. Adanya akses informasi dan pemanfaatan data BO oleh CSO") == [.noQuantity])
        #expect(TargetQuality.hints(for: "Tersedianya informasi anggaran penanganan pandemi Covid-19 tahun 2020 melalui portal yang telah dikembangkan.")
            == [.noQuantity])
        #expect(TargetQuality.hints(for: "Tersedianya informasi anggaran di 34 provinsi").isEmpty)
        #expect(TargetQuality.hints(for: "Seluruh Badan Publik menetapkan daftar informasi publik").isEmpty)
    }

    @Test func aLaterNumberedItemThatIsABareActivityIsFlagged() {
        let text = "1. Pendampingan Pemerintah Daerah yang telah terhubung dengan SP4N-LAPOR!\n2. Sosialisasi kepada masyarakat"
        // "terhubung" is a reached state, so the target as a whole names a result; no activity hint then.
        #expect(TargetQuality.hints(for: text) == [.noQuantity])
        #expect(TargetQuality.hints(for: "1. Rapat koordinasi\n2. Diskusi dengan OMS") == [.noMeasurableResult, .noQuantity, .bareActivity("rapat")])
    }

    @Test func aShareOfAPassiveResultIsMeasurable() {
        #expect(TargetQuality.hints(for: "80% aduan ditindaklanjuti dalam 14 hari").isEmpty)
        #expect(TargetQuality.hints(for: "Portal digunakan 10 K/L").isEmpty)
        #expect(TargetQuality.hints(for: "Diskusi dengan 5 OMS") == [.noMeasurableResult, .bareActivity("diskusi")])
    }

    @Test func emptyTextsGetNoHints() {
        #expect(TargetQuality.hints(for: "").isEmpty)
        #expect(TargetQuality.hints(for: "  \n ").isEmpty)
    }

    @Test func hintsNameTheirMessages() {
        #expect(TargetHint.bareActivity("rapat").messageKey == "hint.bare_activity")
        #expect(TargetHint.bareActivity("rapat").messageArguments == ["rapat"])
        #expect(TargetHint.noQuantity.messageKey == "hint.no_quantity")
        #expect(TargetHint.noMeasurableResult.messageKey == "hint.no_result")
    }
}
