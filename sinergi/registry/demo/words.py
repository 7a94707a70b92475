"""The words the demo data is made of: names, Ormas name parts, activity titles, and a tiny PDF writer."""

from __future__ import annotations

from sinergi.registry.models import ActivityReport

MEN = [
    "Agus",
    "Ahmad",
    "Andi",
    "Arif",
    "Bambang",
    "Bayu",
    "Budi",
    "Dedi",
    "Dimas",
    "Doni",
    "Eko",
    "Fajar",
    "Fikri",
    "Gilang",
    "Hadi",
    "Hasan",
    "Hendra",
    "Ilham",
    "Irfan",
    "Iwan",
    "Joko",
    "Kurnia",
    "Lukman",
    "Mulyadi",
    "Nanang",
    "Rahmat",
    "Reza",
    "Rizky",
    "Rudi",
    "Sandi",
    "Slamet",
    "Sugeng",
    "Taufik",
    "Teguh",
    "Wahyu",
    "Wawan",
    "Yoga",
    "Yusuf",
    "Zulkifli",
]
WOMEN = [
    "Aisyah",
    "Anisa",
    "Ani",
    "Ayu",
    "Dewi",
    "Dian",
    "Eka",
    "Fitri",
    "Indah",
    "Kartika",
    "Laras",
    "Lestari",
    "Maya",
    "Mega",
    "Nia",
    "Nining",
    "Novi",
    "Nurhayati",
    "Putri",
    "Ratna",
    "Rini",
    "Rina",
    "Sari",
    "Siti",
    "Sri",
    "Tuti",
    "Utami",
    "Wulan",
    "Yanti",
    "Yuni",
]
SURNAMES = [
    "Firmansyah",
    "Ginting",
    "Gunawan",
    "Hakim",
    "Halim",
    "Harahap",
    "Hartono",
    "Hasibuan",
    "Hidayat",
    "Hutapea",
    "Kurniawan",
    "Kusuma",
    "Lubis",
    "Manurung",
    "Marpaung",
    "Maulana",
    "Nasution",
    "Nugroho",
    "Permana",
    "Pohan",
    "Pratama",
    "Prasetyo",
    "Purnomo",
    "Rahman",
    "Ramadhan",
    "Santoso",
    "Saputra",
    "Sembiring",
    "Setiawan",
    "Simatupang",
    "Siregar",
    "Sitompul",
    "Sulistyo",
    "Suryadi",
    "Susanto",
    "Syahputra",
    "Tanjung",
    "Utomo",
    "Wibowo",
    "Wijaya",
]
WOMEN_SURNAMES = ["Anggraini", "Handayani", "Kusumawati", "Puspitasari", "Rahmawati", "Safitri", "Wulandari", "Lestari"]
STREETS = [
    "Melati",
    "Kenanga",
    "Mawar",
    "Anggrek",
    "Flamboyan",
    "Cempaka",
    "Dahlia",
    "Kamboja",
    "Teratai",
    "Delima",
    "Nangka",
    "Rambutan",
]

ORMAS_FORMS = [
    "Ikatan",
    "Forum",
    "Gerakan",
    "Paguyuban",
    "Persatuan",
    "Himpunan",
    "Perkumpulan",
    "Laskar",
    "Barisan",
    "Lembaga",
    "Komunitas",
    "Aliansi",
    "Solidaritas",
    "Majelis",
    "Perhimpunan",
    "Gabungan",
    "Persaudaraan",
    "Keluarga",
]
ORMAS_WHO = [
    "Pemuda",
    "Warga",
    "Masyarakat",
    "Pedagang",
    "Nelayan",
    "Pekerja",
    "Mahasiswa",
    "Seniman",
    "Perempuan",
    "Pengemudi",
    "Pensiunan",
    "Santri",
    "Guru",
    "Relawan",
    "Remaja",
    "Orang-Tua",
    "Pelajar",
    "Petani-Kota",
]
ORMAS_WHAT = [
    "Peduli-Lingkungan",
    "Cinta-Tanah-Air",
    "Betawi",
    "Nusantara",
    "Bhinneka",
    "Sejahtera",
    "Mandiri",
    "Bersatu",
    "Madani",
    "Berkarya",
    "Peduli-Banjir",
    "Sadar-Hukum",
    "Anti-Narkoba",
    "Tertib",
    "Berdaya",
    "Kreatif",
    "Sehat",
    "Rukun",
    "Merah-Putih",
    "Gotong-Royong",
]
FIELDS = [
    "Sosial kemasyarakatan",
    "Kepemudaan",
    "Keagamaan",
    "Kebudayaan Betawi",
    "Lingkungan hidup",
    "Pendidikan",
    "Kesehatan",
    "Ekonomi kerakyatan",
    "Bela negara",
    "Pemberdayaan perempuan",
    "Penanggulangan bencana",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
REPORTS: dict[str, list[tuple[str, str]]] = {
    "neighbourhood": [
        (ActivityReport.Kind.COMMUNITY_WORK, "Kerja bakti membersihkan saluran air"),
        (ActivityReport.Kind.COMMUNITY_WORK, "Kerja bakti lingkungan menjelang musim hujan"),
        (ActivityReport.Kind.NIGHT_WATCH, "Ronda malam siskamling"),
        (ActivityReport.Kind.MEETING, "Musyawarah warga"),
        (ActivityReport.Kind.SOCIAL, "Peringatan HUT RI di lingkungan"),
    ],
    "pkk": [
        (ActivityReport.Kind.POSYANDU, "Posyandu balita dan lansia"),
        (ActivityReport.Kind.TRAINING, "Pelatihan pengolahan pangan keluarga"),
        (ActivityReport.Kind.MEETING, "Rapat pengurus TP PKK"),
    ],
    "area": [
        (ActivityReport.Kind.MEETING, "Rapat koordinasi pengurus"),
        (ActivityReport.Kind.TRAINING, "Sosialisasi kanal aduan JAKI"),
        (ActivityReport.Kind.SOCIAL, "Bakti sosial warga"),
    ],
    "ormas": [
        (ActivityReport.Kind.SOCIAL, "Santunan anak yatim"),
        (ActivityReport.Kind.COMMUNITY_WORK, "Aksi bersih lingkungan"),
        (ActivityReport.Kind.MEETING, "Rapat kerja organisasi"),
        (ActivityReport.Kind.TRAINING, "Pelatihan kader"),
        (ActivityReport.Kind.SOCIAL, "Donor darah bersama"),
    ],
}


COACHING_SUBJECTS = [
    ("Sosialisasi UU 16/2017 tentang Ormas", "Penjelasan hak, kewajiban dan larangan Ormas serta tahapan sanksi."),
    ("Pembinaan administrasi: perpanjangan SKT", "Pengurus diingatkan menyiapkan berkas perpanjangan SKT."),
    ("Klarifikasi laporan kegiatan", "Ormas belum menyampaikan laporan kegiatan semester lalu; diminta melengkapi."),
    ("Pembinaan ketertiban kegiatan di ruang publik", "Koordinasi perizinan keramaian dengan kepolisian setempat."),
    ("Silaturahmi dan pemutakhiran data pengurus", "Susunan pengurus dan alamat sekretariat diperbarui."),
]


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid one-page PDF with ``title`` and ``lines`` in Helvetica (ASCII text)."""

    def esc(text: str) -> str:
        text = text.encode("ascii", "replace").decode()
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = [f"BT /F1 16 Tf 56 780 Td ({esc(title)}) Tj /F1 11 Tf"]
    body += [f"0 -22 Td ({esc(line)}) Tj" for line in ["DOKUMEN CONTOH - DATA DEMO SINERGI", *lines]]
    content = "\n".join([*body, "ET"]).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
