/// The root words that `IndonesianStemmer` checks each step against: the roots of the words of the built-in plans
/// and minutes (about 2,700 distinct words), as Sastrawi's rules reach them with a general Indonesian root
/// dictionary, reviewed, and with short or wrong roots left out ("perin" for "pemerintah", "bija" for "kebijakan").
/// Sastrawi's own list (kata-dasar.txt) is not shipped: it comes from Kateglo under CC BY-NC-SA 3.0, a
/// non-commercial licence. A word whose root is missing here is kept whole, so adding roots only joins more forms
/// of a word; the search index must be rebuilt (`SearchIndex.rebuild`) after the list changes.
public enum IndonesianRootWords {
    public static let all: Set<String> = Set(list.split(separator: " ").map(String.init))

    private static let list = """
        abai absah acara aceh acu ada adat adil administrasi adopsi adu afiliasi agama agar agenda agraria agung agustus
        ahli ajak ajar aju akademik akademisi akan akhir akibat akomodasi akreditasi akselerasi akses aksesibilitas aksi
        aktif aktor aku akurat alami alat alhasil aliansi alokasi alternatif aman ambil amerika ampu anak analisis ancam
        ancang andal andang anggap anggar anggota angka animasi antar antara antusiasme apa apabila apakah aparat
        aparatur apik aplikasi apresiasi april arah are arti asasi aset asistensi asosiasi aspek aspirasi atas atau
        ataupun atur audiensi audit awak awal awas ayat badan bagai bagaimana bagi bahan baharu bahas bahkan bahwa baik
        balik banding bandung bangga bangsa bangun bantu banyak bapak barang barat baru basis batas bayar beasiswa bebas
        beberapa beda begitu belajar belanja belum benar bencana bentuk bentur berangkat berantas berapa berat beri
        berita berlaku besar biar biasa biaya bidang bijak bilamana bimbing bina biografi biro birokrasi bisa bisnis
        buah buat budaya buka bukan bukti buku bulan buruk butuh cakup calon camat canang cantum capai cara cari catat
        cegah cenderung cepat cetak cipta coba contoh cuci cukup curang cut daerah daftar dagang dakwa dalam damai
        dampak damping dan dana dapat dari daring daripada darurat dasar data datang daya dayaguna dekat deklarasi demi
        demikian demokrasi demokratis dengan dengar depan departemen deputi derajat desa desain desak desember dewan
        diagnosis dialog dialogis didik digital digitalisasi direktorat diri diskusi dispensasi dokter dokumen
        dokumentasi domain domestik donor dorong dua duduk duga dukung ecek edukasi efektif efektivitas efisien
        efisiensi ekonomi ekosistem eksploitasi ekspres ekspresi eksternal ekstraktif elektronik email empat energi
        evaluasi fakta faktor fasilitas fenomena final fisik fit fokus formal format forum foto fraksi fungsi fungsional
        gagas galeri ganti gaung gedung gender gerak giat gizi global gojek gugat gugus guna hadap hadir hak hal halaman
        ham hamil hampir hanya hapus harap harmonisasi harus has hasil hemat henti hidup hilang himpun hindar hingga
        hitung horizontal hubung hukum humas huruf hutan ialah ibu ide ideal identifikasi identitas iklan ikut imbang
        implementasi indah indeks indikator indonesia induk industri informasi informatif informatika infrastruktur
        ingat ingin ini inisiatif inklusif inovasi insentif inspektorat instalasi instansi institusi instrumen integrasi
        integritas intens interaksi internal internasional intervensi investasi iring iris isi isolasi istilah isu item
        itu iur izin jabat jadi jaga jahat jakarta jaksa jalan jalur jamin jangka jangkau janji januari japan jaring
        jasa jauh jawa jawab jelas jembatan jenderal jenis jepang jika jiwa juga juli jumlah juni jurnalis jurnalisme
        justru kabupaten kader kaidah kain kait kaji kala kalang kali kampanye kampus kanada kanal kandidat kantor kapal
        kapasitas karena kartu kasus kata katalog kategori kaum kawal kawasan kecil kecuali kelapa kelola kelompok
        keluar keluarga keluh kembali kembang kemudian kena kenal kendali kepada kepala keras kerja kesiap ketahu ketat
        ketika khusus kian kinerja koalisi kolaborasi kolektif komik komisi komitmen kompensasi kompetensi kompilasi
        kompleks komponen komprehensif komunikasi komunikatif komunitas kondisi koneksi konflik konsentrasi konsep
        konsisten konsolidasi konstituen konsultasi kontak konteks kontrak kontrasepsi kontribusi konvensional
        koordinasi koordinator koperasi korban korporasi korupsi kota kreatif kriminal kriminalisasi kriteria kritis
        krusial kualifikasi kualitas kuantitas kuat kumpul kunci kunjung kurang kurikulum label laboratorium lacak lagi
        lahir lain laksa laksana laku lalu lama lancar landas langgar langkah langsung lanjut lapang lapor latih layak
        layan layer lebih legislasi legislatif legitimasi lemah lembaga lengkap lepas level libat lihat lindung lingkung
        lintas liput lokakarya lokasi luar luas lubang luncur luput lurah mahkamah maju maka makin makna maksimal maksud
        mampu mana manajemen mandat mandiri manfaat manual manusia map maret marginal maritim masa masalah masih
        masing-masing massa masuk masyarakat mata materi material mati matriks maupun maya mayoritas media mediasi
        mekanisme memang mengkaji mental menteri menu mereka meski meskipun mesti meta metode migran mikat milik mineral
        minim minimal minta misal miskin mitra mobilisasi mobilitas modalitas model moderator modern modul mohon
        momentum moneter motivasi muat mudah muhammad muka mula mumpuni muncul mungkin musyawarah mutakhir mutu naik
        najam nama namun nanti narasi narasumber nasional naskah negara negatif negeri neraca nik nikmat nilai nomor non
        none not nota nugraha nyata obat olah oleh once open operasional opini opsi optimal orang order organisasi
        otorisasi otoritas pada padahal padu paham pajak paling pan pandang pandemi pandu pangku panjang pantau papar
        papua para parlemen partai partisipasi partner pasal pasien pasti patut pedoman pegang pegawai peluang peluru
        pemilu pengerti penting penuh per peran perangkat percaya perempuan perhati perihal periksa perinci perintah
        periode periodik perkara perlu permen persen persentase person perspektif pertama pesat peta petik pidana pihak
        pilah pilih pilot pimpin pintu plan platform plus poin polisi politik populasi portal pos posisi positif potensi
        praktik praktisi prasarana prasyarat presiden prestasi pribadi prinsip prioritas privat proaktif problem produk
        produksi profil program promosi proposal prosedur proses provinsi proyek psikologi publik publikasi pulau pulih
        puluh pun punya pusat puskesmas putar putus radio ragam rakyat rampung rancang rangka rangkul rangsang rapat
        rasa ratifikasi rawan realisasi referensi reformasi regional register registrasi regulasi rehabilitasi rekam
        rekapitulasi rekomendasi rekonsiliasi relasi relatif relevan rencana rendah rentan repetitif representatif
        reproduksi republik reserse reses resmi responden respons responsif restitusi revisi revitalisasi revolusi riil
        risalah risiko ruang rugi rujuk rumah rumus rupa rusak saat sadar saing saja saji sakit saksi salah salahguna
        saling salur sama sampai sandang sangat sangka sarana sarat sasar satu sawit sayang sayembara sebab sebagaimana
        sebar sebarluas sebut sedang sederhana sedia sedikit segala segera segi sehat sehingga seimbang sejahtera sejak
        sekaligus sekitar sekretariat seksual sektor sektoral sekunder selain selalu selamat selaras selayak selenggara
        selesai seluruh semata-mata sembunyi semena-mena semenjak sementara semesta semester sempat semua sendat sendiri
        sengketa senjang sentralisasi sepakat sepenuh seperti september serah serap serial serikat sering serius serta
        sesuai set setara siap sidang sidik sifat signifikan sikap simfoni simpan simpangsiur simpatik simpul sinambung
        sinkronisasi sipil sisi sistem sit situasi situs skema slip sop sosial sosialisasi spesifik spesifikasi staf
        standar start statistik stigma stimulus strategi strategis struktur studi suara suatu subsidi substansi
        substantif sudah sukses sulit sumber surat surplus survei susun syarat tahan tahap tahu tahun tambah tampak
        tampil tamu tanah tanda tangan tangga tanggal tanggap tangguh tanggulang tanggung tanggungjawab tani tanpa
        tantang target tarif tarik tata tatap tatar taung tegak teknis teknokrat teknologi telaah telah televisi teliti
        tema tematik tempat temu tenaga tengah tentang tentu teori tepat terampil terap terbit terima terjemah term
        terobos terorisme tertib terus tetap tetapi tiada tiap tidak tifa tiga tim timbang timbul timur tindak
        tindaklanjut tinggal tinggi tingkat titik titikberat tolak topang transaksi transfer transformasi transmigrasi
        transparan transparansi triliun triwulan tugas tuju tujuh tular tumbuh tumpu tunai tunda tunggu tunjuk tuntut
        turun turut tutup uang ubah uji ukur ulama ulang umpan umum undang unggah unit unsur untuk upaya urai urgensi
        usaha usul utama verifikasi vertikal video visi volume wahana wajar wajib wakil waktu walaupun warga wartawan
        wenang were wilayah wujud yaitu yakni yang yayasan
        """.replacingOccurrences(of: "\n", with: " ")
}
