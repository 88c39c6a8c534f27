@testable import Pantau
import Testing
import Vapor
import VaporTesting

@Suite("Pages")
struct PageTests {
    @Test(arguments: TestDatabase.allCases)
    func theHomePageListsPlansInIndonesian(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let empty = try await app.http().get("/")
            #expect(empty.status == .ok)
            #expect(empty.text.contains("Belum ada rencana aksi."))

            try await importPlan(SamplePlan.document(), on: app.db)
            for path in ["/", "/plans"] {
                let page = try await app.http().get(path)
                #expect(page.status == .ok)
                #expect(page.headers.contentType == .html)
                #expect(page.text.contains("<html lang=\"id\">"))
                #expect(page.text.contains("Rencana Aksi Contoh 2030-2032"))
                #expect(page.text.contains("href=\"/plans/contoh-2030-2032\""))
                #expect(page.text.contains("2 komitmen"))
                #expect(page.text.contains("name=\"viewport\""))
                // The language switch is a plain link: no JavaScript needed.
                #expect(page.text.contains("href=\"\(path)?lang=en\""))
                #expect(!page.text.contains("<script"))
            }
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func englishByLinkAndRemembered(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let english = try await app.http().get("/plans?lang=en")
            #expect(english.text.contains("<html lang=\"en\">"))
            #expect(english.text.contains("2 commitments"))
            #expect(english.text.contains("Bahasa Indonesia"))
            let cookie = try #require(english.headers.setCookie?[LanguageMiddleware.cookieName])
            #expect(cookie.string == "en")

            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: (LanguageMiddleware.cookieName, HTTPCookies.Value(string: "en")))
            let remembered = try await app.http().get("/plans/contoh-2030-2032", headers: headers)
            #expect(remembered.text.contains("Commitments"))
            let back = try await app.http().get("/plans/contoh-2030-2032?lang=id", headers: headers)
            #expect(back.text.contains("<html lang=\"id\">"))
            #expect(back.text.contains("Penanggung jawab"))
            let unknown = try await app.http().get("/plans?lang=fr")
            #expect(unknown.text.contains("<html lang=\"id\">"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aPlanPageListsCommitmentsWithResponsibleOrganisations(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let page = try await app.http().get("/plans/contoh-2030-2032")
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"/plans/contoh-2030-2032/commitments/1\""))
            #expect(page.text.contains("Keterbukaan data contoh"))
            #expect(page.text.contains(">KCK<"))
            #expect(page.text.contains("Badan Contoh Data"))
            #expect(page.text.contains("<span>B06</span>: 2031-01-01 – 2031-06-30"))
            #expect(page.text.contains("<span>Baik</span>: 70–100"))
            #expect(page.text.contains("<span>N/A</span>: tidak dapat diukur"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func aCommitmentPageShowsDescriptionAndWholeMatrix(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let page = try await app.http().get("/plans/contoh-2030-2032/commitments/1")
            #expect(page.status == .ok)
            let html = page.text
            for expected in [
                "Keterbukaan data contoh", "Data contoh sulit diakses.", "Membuka data contoh.", "Warga dapat memeriksa data.",
                "Sejalan dengan RPJMN contoh.", "16.6, 16.10", "Direktorat Contoh", "Perkumpulan Warga Contoh",
                "Terbitnya data contoh", "kontak@contoh.test",
                "Tersedianya portal data contoh", "Portal data contoh daring", "Kementerian Contoh Keterbukaan",
                "Rancangan portal selesai", "Uji coba portal di 3 provinsi", "Portal digunakan 10 K/L", "Portal digunakan 34 provinsi",
                "Tautan portal; laporan kegiatan", "Pemantauan warga atas portal", "Tidak ada target",
                "Sasaran keberhasilan 1", "Ukuran keberhasilan 1.2",
            ] {
                #expect(html.contains(expected), "missing: \(expected)")
            }
            // The editorial note (how the source was read) is internal.
            #expect(!html.contains("Data uji, bukan rencana sungguhan."))
            let english = try await app.http().get("/plans/contoh-2030-2032/commitments/1?lang=en")
            #expect(english.text.contains("Success measure 1.1"))
            #expect(english.text.contains("Expected evidence"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func textFromTheDatabaseIsEscaped(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            var document = SamplePlan.document()
            document.commitments[0].title = "<script>alert(1)</script>"
            try await importPlan(document, on: app.db)
            let page = try await app.http().get("/plans/contoh-2030-2032/commitments/1")
            #expect(!page.text.contains("<script>alert(1)</script>"))
            #expect(page.text.contains("&lt;script&gt;"))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func unknownPagesAreLocalised404s(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await importPlan(SamplePlan.document(), on: app.db)
            let cases: [(String, String)] = [
                ("/plans/tidak-ada", "Rencana aksi &#39;tidak-ada&#39; tidak ditemukan."),
                ("/plans/contoh-2030-2032/commitments/99", "Komitmen 99 tidak ada dalam rencana aksi &#39;contoh-2030-2032&#39;."),
                ("/plans/contoh-2030-2032/commitments/abc", "Komitmen abc tidak ada"),
                ("/tidak/ada", "tidak ditemukan"),
            ]
            for (path, message) in cases {
                let page = try await app.http().get(path)
                #expect(page.status == .notFound, "\(path)")
                #expect(page.headers.contentType == .html)
                #expect(page.text.contains(message), "\(path)")
            }
            let english = try await app.http().get("/plans/tidak-ada?lang=en")
            #expect(english.text.contains("Action plan &#39;tidak-ada&#39; was not found."))
        }
    }

    @Test(arguments: TestDatabase.allCases)
    func theStylesheetIsServed(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let css = try await app.http().get("/css/pantau.css")
            #expect(css.status == .ok)
            #expect(css.text.contains("@media (max-width: 30rem)"))
        }
    }
}
