"""Curated names of Indonesian news: institutions, ministries, parties, public figures, ranks.

No package lists them, and they are what Indonesian news is about: without this table
"KPK" and "Komisi Pemberantasan Korupsi", "Jokowi" and "Joko Widodo", "DPR" and "Dewan
Perwakilan Rakyat" stay apart, and an acronym whose expansion has commas ("Badan
Meteorologi, Klimatologi, dan Geofisika (BMKG)") is cut to its last word. Canonical names
are the official Indonesian ones (the form Indonesian readers search for); English forms
are aliases. Sources: the institutions' own names as written on their sites and in
Indonesian law (UU, Perpres); the parties registered by KPU for the 2024 election; police
and military ranks from Perkap No. 3/2016 and the TNI rank list. Hand-kept: extend it when
a week of news shows a name split in two.
"""

from __future__ import annotations

from kabar.model import EntityLabel

# canonical name: aliases (acronyms are matched case-sensitively by the gazetteer).
INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "Komisi Pemberantasan Korupsi": ("KPK", "Corruption Eradication Commission"),
    "Dewan Perwakilan Rakyat": ("DPR", "DPR RI", "House of Representatives"),
    "Majelis Permusyawaratan Rakyat": ("MPR", "MPR RI", "People's Consultative Assembly"),
    "Dewan Perwakilan Daerah": ("DPD", "DPD RI", "Regional Representative Council"),
    "Dewan Perwakilan Rakyat Daerah": ("DPRD",),
    "Badan Meteorologi, Klimatologi, dan Geofisika": (
        "BMKG", "Badan Meteorologi Klimatologi dan Geofisika",
        "Meteorology, Climatology, and Geophysical Agency",
    ),
    "Badan Nasional Penanggulangan Bencana": ("BNPB", "National Disaster Management Agency"),
    "Badan Penanggulangan Bencana Daerah": ("BPBD",),
    "Badan Pusat Statistik": ("BPS", "Statistics Indonesia"),
    "Badan Pemeriksa Keuangan": ("BPK", "Audit Board of Indonesia"),
    "Badan Intelijen Negara": ("BIN", "State Intelligence Agency"),
    "Badan Narkotika Nasional": ("BNN", "National Narcotics Agency"),
    "Badan Nasional Penanggulangan Terorisme": ("BNPT",),
    "Badan Riset dan Inovasi Nasional": ("BRIN",),
    "Badan Pengawas Obat dan Makanan": ("BPOM", "Badan POM"),
    "Badan Pengawas Pemilihan Umum": ("Bawaslu", "Badan Pengawas Pemilu"),
    "Komisi Pemilihan Umum": ("KPU", "General Elections Commission"),
    "Badan Nasional Pencarian dan Pertolongan": ("Basarnas", "Badan SAR Nasional"),
    "Badan Perencanaan Pembangunan Nasional": ("Bappenas",),
    "Badan Koordinasi Penanaman Modal": ("BKPM",),
    "Badan Penyelenggara Jaminan Sosial Kesehatan": ("BPJS Kesehatan",),
    "Badan Penyelenggara Jaminan Sosial Ketenagakerjaan": ("BPJS Ketenagakerjaan",),
    "Badan Siber dan Sandi Negara": ("BSSN",),
    "Mahkamah Agung": ("Supreme Court of Indonesia",),
    "Mahkamah Konstitusi": ("MK", "Constitutional Court of Indonesia"),
    "Komisi Yudisial": ("KY",),
    "Kejaksaan Agung": ("Kejagung", "Attorney General's Office"),
    "Kepolisian Negara Republik Indonesia": (
        "Polri", "POLRI", "Kepolisian Republik Indonesia", "Kepolisian RI",
        "Indonesian National Police",
    ),
    "Tentara Nasional Indonesia": ("TNI", "Indonesian National Armed Forces"),
    "TNI Angkatan Darat": ("TNI AD",),
    "TNI Angkatan Laut": ("TNI AL",),
    "TNI Angkatan Udara": ("TNI AU",),
    "Bank Indonesia": ("BI",),
    "Otoritas Jasa Keuangan": ("OJK", "Financial Services Authority"),
    "Lembaga Penjamin Simpanan": ("LPS",),
    "Komisi Nasional Hak Asasi Manusia": ("Komnas HAM",),
    "Komisi Perlindungan Anak Indonesia": ("KPAI",),
    "Lembaga Perlindungan Saksi dan Korban": ("LPSK",),
    "Ombudsman Republik Indonesia": ("Ombudsman", "Ombudsman RI"),
    "Kantor Staf Presiden": ("KSP",),
    "Kementerian Sekretariat Negara": ("Kemensetneg", "Setneg"),
    "Kementerian Keuangan": ("Kemenkeu", "Ministry of Finance"),
    "Kementerian Luar Negeri": ("Kemenlu", "Kemlu", "Ministry of Foreign Affairs"),
    "Kementerian Dalam Negeri": ("Kemendagri",),
    "Kementerian Pertahanan": ("Kemhan", "Kemenhan"),
    "Kementerian Kesehatan": ("Kemenkes", "Ministry of Health"),
    "Kementerian Agama": ("Kemenag",),
    "Kementerian Sosial": ("Kemensos",),
    "Kementerian Hukum dan Hak Asasi Manusia": ("Kemenkumham",),
    "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi": (
        "Kemendikbudristek", "Kemendikbud",
    ),
    "Kementerian Badan Usaha Milik Negara": ("Kementerian BUMN",),
    "Kementerian Perhubungan": ("Kemenhub",),
    "Kementerian Pertanian": ("Kementan",),
    "Kementerian Perindustrian": ("Kemenperin",),
    "Kementerian Perdagangan": ("Kemendag",),
    "Kementerian Kelautan dan Perikanan": ("KKP",),
    "Kementerian Energi dan Sumber Daya Mineral": ("Kementerian ESDM", "ESDM"),
    "Kementerian Pekerjaan Umum dan Perumahan Rakyat": ("Kementerian PUPR", "PUPR"),
    "Kementerian Komunikasi dan Informatika": ("Kominfo", "Kemenkominfo"),
    "Kementerian Komunikasi dan Digital": ("Komdigi",),
    "Kementerian Pemuda dan Olahraga": ("Kemenpora",),
    "Kementerian Pariwisata dan Ekonomi Kreatif": ("Kemenparekraf",),
    "Kementerian Ketenagakerjaan": ("Kemnaker", "Kemenaker"),
    "Kementerian Lingkungan Hidup dan Kehutanan": ("KLHK",),
    "Kementerian Koordinator Bidang Politik, Hukum, dan Keamanan": ("Kemenko Polhukam",),
    "Kementerian Koordinator Bidang Perekonomian": ("Kemenko Perekonomian",),
    "Pemerintah Provinsi DKI Jakarta": ("Pemprov DKI", "Pemprov DKI Jakarta"),
    "Majelis Ulama Indonesia": ("MUI",),
    "Nahdlatul Ulama": ("NU", "PBNU"),
    "Muhammadiyah": ("PP Muhammadiyah",),
    "Pertamina": ("PT Pertamina", "PT Pertamina (Persero)"),
    "Perusahaan Listrik Negara": ("PLN", "PT PLN", "PT PLN (Persero)"),
    "Garuda Indonesia": ("PT Garuda Indonesia",),
    "Kereta Api Indonesia": ("KAI", "PT KAI", "PT Kereta Api Indonesia"),
    "Badan Usaha Milik Negara": ("BUMN",),
    # Parties (KPU's 2024 list) and their common short names.
    "Partai Demokrasi Indonesia Perjuangan": ("PDI-P", "PDIP", "PDI Perjuangan"),
    "Partai Golongan Karya": ("Golkar", "Partai Golkar"),
    "Partai Gerakan Indonesia Raya": ("Gerindra", "Partai Gerindra"),
    "Partai Kebangkitan Bangsa": ("PKB",),
    "Partai NasDem": ("NasDem", "Nasdem", "Partai Nasdem"),
    "Partai Keadilan Sejahtera": ("PKS",),
    "Partai Amanat Nasional": ("PAN",),
    "Partai Demokrat": ("Demokrat",),
    "Partai Persatuan Pembangunan": ("PPP",),
    "Partai Persatuan Indonesia": ("Perindo", "Partai Perindo"),
    "Partai Solidaritas Indonesia": ("PSI",),
    "Partai Hati Nurani Rakyat": ("Hanura", "Partai Hanura"),
}  # fmt: skip

# Public figures: canonical full name → the short forms news writes alone.
PEOPLE: dict[str, tuple[str, ...]] = {
    "Joko Widodo": ("Jokowi", "Joko Widodo (Jokowi)", "Ir. H. Joko Widodo"),
    "Prabowo Subianto": ("Prabowo", "Prabowo Subianto Djojohadikusumo"),
    "Gibran Rakabuming Raka": ("Gibran", "Gibran Rakabuming"),
    "Ma'ruf Amin": ("Maruf Amin", "Ma’ruf Amin", "KH Ma'ruf Amin"),
    "Susilo Bambang Yudhoyono": ("SBY",),
    "Megawati Soekarnoputri": ("Megawati", "Megawati Sukarnoputri"),
    "Anies Baswedan": ("Anies", "Anies Rasyid Baswedan"),
    "Ganjar Pranowo": ("Ganjar",),
    "Mahfud MD": ("Mahfud", "Mohammad Mahfud MD"),
    "Muhaimin Iskandar": ("Cak Imin", "Muhaimin"),
    "Sri Mulyani Indrawati": ("Sri Mulyani",),
    "Luhut Binsar Pandjaitan": ("Luhut", "Luhut Pandjaitan", "Luhut B Pandjaitan"),
    "Airlangga Hartarto": ("Airlangga",),
    "Puan Maharani": ("Puan",),
    "Erick Thohir": (),
    "Retno Marsudi": ("Retno", "Retno LP Marsudi"),
    "Listyo Sigit Prabowo": ("Listyo Sigit", "Listyo"),
    "Agus Harimurti Yudhoyono": ("AHY",),
    "Basuki Tjahaja Purnama": ("Ahok", "BTP"),
    "Ridwan Kamil": ("Kang Emil",),
    "Khofifah Indar Parawansa": ("Khofifah",),
    "Budi Gunadi Sadikin": ("Budi Gunadi",),
    "Bahlil Lahadalia": ("Bahlil",),
    "Soekarno": ("Sukarno", "Bung Karno"),
    "Soeharto": ("Suharto",),
    "Bacharuddin Jusuf Habibie": ("B.J. Habibie", "BJ Habibie", "Habibie"),
    "Abdurrahman Wahid": ("Gus Dur",),
    "Jusuf Kalla": ("JK",),
    "Firli Bahuri": ("Firli",),
    "Ferdy Sambo": ("Sambo",),
}

# Ranks (Polri: Perkap 3/2016; TNI) and civilian honorifics: a title before a name, never a
# name. Lower case; written-out forms and abbreviations.
RANKS: tuple[str, ...] = (
    "jenderal polisi", "komisaris jenderal polisi", "komjen", "inspektur jenderal polisi",
    "irjen", "brigadir jenderal polisi", "brigjen", "brigjen pol", "komisaris besar polisi",
    "kombes", "kombes pol", "ajun komisaris besar polisi", "akbp", "komisaris polisi",
    "kompol", "ajun komisaris polisi", "akp", "inspektur polisi satu", "iptu",
    "inspektur polisi dua", "ipda", "ajun inspektur polisi satu", "aiptu",
    "ajun inspektur polisi dua", "aipda", "brigadir polisi kepala", "bripka", "brigadir polisi",
    "brigpol", "bripol", "briptu", "bripda", "bharaka", "bharatu", "bharada",
    "jenderal tni", "letnan jenderal", "letjen", "letjen tni", "mayor jenderal", "mayjen",
    "mayjen tni", "brigadir jenderal", "brigjen tni", "laksamana", "laksdya", "laksda",
    "laksma", "marsekal", "marsdya", "marsda", "marsma", "kolonel", "letnan kolonel",
    "letkol", "mayor", "kapten", "letnan satu", "lettu", "letnan dua", "letda", "pembantu letnan",
    "peltu", "pelda", "sersan mayor", "serma", "sersan kepala", "serka", "sersan satu",
    "sertu", "sersan dua", "serda", "kopral", "prajurit", "pratu", "prada",
    "ajun komisaris", "komisaris", "inspektur",
)  # fmt: skip

# News agencies: an article cites them as its source (a credit), they are not what the
# story is about.
WIRE_AGENCIES: frozenset[str] = frozenset(
    {
        "Reuters", "AFP", "Associated Press", "Antara", "TASS", "Xinhua", "Bernama", "Kyodo",
        "Yonhap", "Anadolu Agency", "Sputnik", "RIA Novosti", "Interfax", "Vietnam News Agency",
        "Bloomberg", "dpa", "EFE", "ANSA", "Agence France-Presse", "AP", "Antara News",
        "KCNA", "Vietnam News", "VN Express", "VnExpress", "IRNA", "WAFA", "PTI", "UPI",
    }
)  # fmt: skip


# The 38 provinces (Kemendagri, 2022 after the Papua split), the main islands and regions
# news names alone, with their common short forms. Without them the tagger read
# "Papua Barat Daya" and "Maluku Utara" as people in a week of news.
PLACES: dict[str, tuple[str, ...]] = {
    "Aceh": ("Nanggroe Aceh Darussalam", "NAD"), "Sumatera Utara": ("Sumut",),
    "Sumatera Barat": ("Sumbar",), "Riau": (), "Kepulauan Riau": ("Kepri",), "Jambi": (),
    "Sumatera Selatan": ("Sumsel",), "Kepulauan Bangka Belitung": ("Bangka Belitung",),
    "Bengkulu": (), "Lampung": (), "Jawa Barat": ("Jabar",), "Jawa Tengah": ("Jateng",),
    "Daerah Istimewa Yogyakarta": ("DIY", "DI Yogyakarta"), "Jawa Timur": ("Jatim",),
    "Banten": (), "Bali": (), "Nusa Tenggara Barat": ("NTB",),
    "Nusa Tenggara Timur": ("NTT",), "Kalimantan Barat": ("Kalbar",),
    "Kalimantan Tengah": ("Kalteng",), "Kalimantan Selatan": ("Kalsel",),
    "Kalimantan Timur": ("Kaltim",), "Kalimantan Utara": ("Kaltara",),
    "Sulawesi Utara": ("Sulut",), "Sulawesi Tengah": ("Sulteng",),
    "Sulawesi Selatan": ("Sulsel",), "Sulawesi Tenggara": ("Sultra",), "Gorontalo": (),
    "Sulawesi Barat": ("Sulbar",), "Maluku": (), "Maluku Utara": ("Malut",), "Papua": (),
    "Papua Barat": (), "Papua Selatan": (), "Papua Tengah": (), "Papua Pegunungan": (),
    "Papua Barat Daya": (),
    "Jawa": ("Pulau Jawa",), "Sumatera": ("Sumatra", "Pulau Sumatera"),
    "Kalimantan": ("Borneo",), "Sulawesi": (), "Nusa Tenggara": (),
    "Jabodetabek": (), "Raja Ampat": ("Kabupaten Raja Ampat",),
}  # fmt: skip


def aliases() -> dict[str, tuple[str, EntityLabel]]:
    """Every name and alias of the tables above → (canonical name, label)."""
    table: dict[str, tuple[str, EntityLabel]] = {}
    for canonical, forms in PLACES.items():
        for name in (canonical, *forms):
            table[name] = (canonical, "LOC")
    for canonical, forms in INSTITUTIONS.items():
        for name in (canonical, *forms):
            table[name] = (canonical, "ORG")
    for canonical, forms in PEOPLE.items():
        for name in (canonical, *forms):
            table[name] = (canonical, "PER")
    return table
