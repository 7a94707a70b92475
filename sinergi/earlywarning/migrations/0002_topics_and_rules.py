"""The topics FKDM reports are about and the escalation rules the issue names, as starting data.

Topics and rules are data that the province's administrators edit; names are in Bahasa Indonesia,
the language they are read in. The rules: any critical report; three or more high-severity reports
in one kecamatan within 24 hours; reports trending up by half week on week (at least five).
"""

from django.db import migrations

TOPICS = [
    ("hoax", "Hoaks", 10),
    ("hate-speech", "Ujaran kebencian", 20),
    ("sara", "SARA", 30),
    ("social-conflict", "Konflik sosial", 40),
    ("demonstration", "Unjuk rasa", 50),
    ("foreign-nationals", "Orang asing", 60),
    ("disaster", "Bencana", 70),
    ("crime", "Kriminalitas", 80),
    ("other", "Lainnya", 90),
]
RULES = [
    ("Setiap laporan kritis", "severity", 4, 1, 24, 50),
    ("Tiga laporan tinggi atau lebih di satu kecamatan dalam 24 jam", "cluster", 3, 3, 24, 50),
    ("Laporan naik 50% minggu ke minggu", "trend", 1, 5, 24, 50),
]


def forwards(apps, schema_editor):
    Topic = apps.get_model("earlywarning", "Topic")
    EscalationRule = apps.get_model("earlywarning", "EscalationRule")
    for code, name, order in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for name, kind, severity, count, hours, percent in RULES:
        EscalationRule.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "min_severity": severity, "count": count, "hours": hours, "percent": percent},
        )


class Migration(migrations.Migration):
    dependencies = [("earlywarning", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
