"""The organisation kinds the law names, with their rules (administrators can change them later).

Pergub DKI 22/2022: RT and RW, 5-year terms, at most 2. Perda DKI 5/2010: LMK, 3-year terms.
Permendagri 18/2018: lembaga kemasyarakatan (RT, RW, LMK/LPM, PKK, Karang Taruna, Posyandu) hold
officers to one lembaga at a time and to no party membership. FKDM (Permendagri 2/2018) is a forum,
not a lembaga; Ormas (UU 17/2013) answer to their own statutes for terms and must report activities.
PKK, Karang Taruna and Posyandu cadres commonly serve in more than one of them, so the register
warns there instead of refusing.
"""

from django.db import migrations

AREA = ["village", "district", "city", "province"]
REFUSE, WARN, OFF = "refuse", "warn", "off"

FIELDS = (
    "code",
    "name",
    "is_ormas",
    "is_lembaga",
    "placements",
    "term_years",
    "max_terms",
    "third_term_rule",
    "double_post_rule",
    "party_statement_rule",
    "overlap_rule",
    "reminder_days",
    "activity_report_days",
)
KINDS = [
    ("rt", "RT (Rukun Tetangga)", False, True, ["rt"], 5, 2, REFUSE, REFUSE, WARN, REFUSE, 90, None),
    ("rw", "RW (Rukun Warga)", False, True, ["rw"], 5, 2, REFUSE, REFUSE, WARN, REFUSE, 90, None),
    ("lmk", "LMK (Lembaga Musyawarah Kelurahan)", False, True, ["village"], 3, 2, REFUSE, REFUSE, WARN, REFUSE, 60,
     None),
    ("fkdm", "FKDM (Forum Kewaspadaan Dini Masyarakat)", False, False, AREA, 5, 2, WARN, OFF, WARN, REFUSE, 60, None),
    ("pkk", "PKK (Tim Penggerak PKK)", False, True, AREA, 5, 2, WARN, WARN, WARN, REFUSE, 60, None),
    ("karang_taruna", "Karang Taruna", False, True, AREA, 5, 2, WARN, WARN, WARN, REFUSE, 60, None),
    ("posyandu", "Posyandu", False, True, ["rw", "village"], 5, 2, WARN, WARN, WARN, REFUSE, 60, None),
    ("lpm", "LPM (Lembaga Pemberdayaan Masyarakat)", False, True, ["village"], 5, 2, REFUSE, REFUSE, WARN, REFUSE, 60,
     None),
    ("ormas", "Ormas (Organisasi Kemasyarakatan)", True, False, AREA, 5, 2, OFF, OFF, OFF, REFUSE, 90, 180),
]


def create_kinds(apps, schema_editor):
    OrganisationKind = apps.get_model("registry", "OrganisationKind")
    for order, row in enumerate(KINDS, start=1):
        values = dict(zip(FIELDS, row, strict=True))
        OrganisationKind.objects.get_or_create(code=values.pop("code"), defaults={**values, "sort_order": order * 10})


def delete_kinds(apps, schema_editor):
    OrganisationKind = apps.get_model("registry", "OrganisationKind")
    OrganisationKind.objects.filter(code__in=[row[0] for row in KINDS], organisations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, delete_kinds)]
