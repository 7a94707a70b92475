"""Seed Indonesia's national public holidays and collective leave days (cuti bersama), 2024 to 2027.

Sources, each the joint decree of the Ministers of Religious Affairs, Manpower and Administrative and
Bureaucratic Reform on national holidays and collective leave (SKB 3 Menteri):

- 2024: SKB No. 855 Tahun 2023, No. 3 Tahun 2023, No. 4 Tahun 2023 (12 September 2023): 17 holidays
  and 10 collective leave days. Added: the voting days of the general election (14 February 2024) and
  of the simultaneous regional elections (27 November 2024), declared national holidays by
  presidential decree.
- 2025: SKB No. 1017 Tahun 2024, No. 2 Tahun 2024, No. 2 Tahun 2024, as amended by SKB No. 933 Tahun
  2025, No. 1 Tahun 2025, No. 3 Tahun 2025 (7 August 2025), which added collective leave on
  18 August 2025 for the 80th Independence Day.
- 2026: SKB No. 1497 Tahun 2025, No. 2 Tahun 2025, No. 5 Tahun 2025 (19 September 2025): 17 holidays
  and 8 collective leave days.
- 2027: the SKB for 2027 was not at hand when this was written, so only the days that do not wait for
  it are seeded: the holidays fixed by date (Keppres 251/1967 as amended; Labour Day and Pancasila Day
  by their own presidential decrees), the Christian holidays from the date of Easter, and the Chinese
  New Year. The Islamic holidays (which follow the sighting of the moon), Nyepi, Waisak and every
  collective leave day of 2027 must be added by an administrator once the 2027 SKB is published.

Where a holiday falls on a weekend it is still listed, as the decree lists it. Administrators
correct and extend the calendar later through ``sinergi.core.services.public_holiday_save`` and
``public_holiday_delete``; this migration only adds days that are not there yet.
"""

import datetime

from django.db import migrations

HOLIDAYS: list[tuple[str, str]] = [
    # 2024
    ("2024-01-01", "Tahun Baru 2024 Masehi"),
    ("2024-02-08", "Isra Mikraj Nabi Muhammad SAW"),
    ("2024-02-10", "Tahun Baru Imlek 2575 Kongzili"),
    ("2024-02-14", "Hari Pemungutan Suara Pemilihan Umum 2024"),
    ("2024-03-11", "Hari Suci Nyepi Tahun Baru Saka 1946"),
    ("2024-03-29", "Wafat Isa Al Masih"),
    ("2024-03-31", "Hari Paskah"),
    ("2024-04-10", "Hari Raya Idul Fitri 1445 Hijriah"),
    ("2024-04-11", "Hari Raya Idul Fitri 1445 Hijriah"),
    ("2024-05-01", "Hari Buruh Internasional"),
    ("2024-05-09", "Kenaikan Isa Al Masih"),
    ("2024-05-23", "Hari Raya Waisak 2568 BE"),
    ("2024-06-01", "Hari Lahir Pancasila"),
    ("2024-06-17", "Hari Raya Idul Adha 1445 Hijriah"),
    ("2024-07-07", "Tahun Baru Islam 1446 Hijriah"),
    ("2024-08-17", "Hari Kemerdekaan Republik Indonesia"),
    ("2024-09-16", "Maulid Nabi Muhammad SAW"),
    ("2024-11-27", "Hari Pemungutan Suara Pemilihan Kepala Daerah Serentak 2024"),
    ("2024-12-25", "Hari Raya Natal"),
    # 2025
    ("2025-01-01", "Tahun Baru 2025 Masehi"),
    ("2025-01-27", "Isra Mikraj Nabi Muhammad SAW"),
    ("2025-01-29", "Tahun Baru Imlek 2576 Kongzili"),
    ("2025-03-29", "Hari Suci Nyepi Tahun Baru Saka 1947"),
    ("2025-03-31", "Idul Fitri 1446 Hijriah"),
    ("2025-04-01", "Idul Fitri 1446 Hijriah"),
    ("2025-04-18", "Wafat Yesus Kristus"),
    ("2025-04-20", "Kebangkitan Yesus Kristus (Paskah)"),
    ("2025-05-01", "Hari Buruh Internasional"),
    ("2025-05-12", "Hari Raya Waisak 2569 BE"),
    ("2025-05-29", "Kenaikan Yesus Kristus"),
    ("2025-06-01", "Hari Lahir Pancasila"),
    ("2025-06-06", "Idul Adha 1446 Hijriah"),
    ("2025-06-27", "1 Muharam Tahun Baru Islam 1447 Hijriah"),
    ("2025-08-17", "Proklamasi Kemerdekaan"),
    ("2025-09-05", "Maulid Nabi Muhammad SAW"),
    ("2025-12-25", "Kelahiran Yesus Kristus"),
    # 2026
    ("2026-01-01", "Tahun Baru 2026 Masehi"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili"),
    ("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948"),
    ("2026-03-21", "Idul Fitri 1447 Hijriah"),
    ("2026-03-22", "Idul Fitri 1447 Hijriah"),
    ("2026-04-03", "Wafat Yesus Kristus"),
    ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"),
    ("2026-05-01", "Hari Buruh Internasional"),
    ("2026-05-14", "Kenaikan Yesus Kristus"),
    ("2026-05-27", "Idul Adha 1447 Hijriah"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE"),
    ("2026-06-01", "Hari Lahir Pancasila"),
    ("2026-06-16", "1 Muharam Tahun Baru Islam 1448 Hijriah"),
    ("2026-08-17", "Proklamasi Kemerdekaan"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW"),
    ("2026-12-25", "Kelahiran Yesus Kristus"),
    # 2027: only what does not wait for the SKB (see above)
    ("2027-01-01", "Tahun Baru 2027 Masehi"),
    ("2027-02-06", "Tahun Baru Imlek 2578 Kongzili"),
    ("2027-03-26", "Wafat Yesus Kristus"),
    ("2027-03-28", "Kebangkitan Yesus Kristus (Paskah)"),
    ("2027-05-01", "Hari Buruh Internasional"),
    ("2027-05-06", "Kenaikan Yesus Kristus"),
    ("2027-06-01", "Hari Lahir Pancasila"),
    ("2027-08-17", "Proklamasi Kemerdekaan"),
    ("2027-12-25", "Kelahiran Yesus Kristus"),
]

COLLECTIVE_LEAVE: list[tuple[str, str]] = [
    # 2024
    ("2024-02-09", "Cuti Bersama Tahun Baru Imlek 2575 Kongzili"),
    ("2024-03-12", "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1946"),
    ("2024-04-08", "Cuti Bersama Idul Fitri 1445 Hijriah"),
    ("2024-04-09", "Cuti Bersama Idul Fitri 1445 Hijriah"),
    ("2024-04-12", "Cuti Bersama Idul Fitri 1445 Hijriah"),
    ("2024-04-15", "Cuti Bersama Idul Fitri 1445 Hijriah"),
    ("2024-05-10", "Cuti Bersama Kenaikan Isa Al Masih"),
    ("2024-05-24", "Cuti Bersama Hari Raya Waisak 2568 BE"),
    ("2024-06-18", "Cuti Bersama Idul Adha 1445 Hijriah"),
    ("2024-12-26", "Cuti Bersama Hari Raya Natal"),
    # 2025
    ("2025-01-28", "Cuti Bersama Tahun Baru Imlek 2576 Kongzili"),
    ("2025-03-28", "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1947"),
    ("2025-04-02", "Cuti Bersama Idul Fitri 1446 Hijriah"),
    ("2025-04-03", "Cuti Bersama Idul Fitri 1446 Hijriah"),
    ("2025-04-04", "Cuti Bersama Idul Fitri 1446 Hijriah"),
    ("2025-04-07", "Cuti Bersama Idul Fitri 1446 Hijriah"),
    ("2025-05-13", "Cuti Bersama Hari Raya Waisak 2569 BE"),
    ("2025-05-30", "Cuti Bersama Kenaikan Yesus Kristus"),
    ("2025-06-09", "Cuti Bersama Idul Adha 1446 Hijriah"),
    ("2025-08-18", "Cuti Bersama Proklamasi Kemerdekaan"),
    ("2025-12-26", "Cuti Bersama Kelahiran Yesus Kristus"),
    # 2026
    ("2026-02-16", "Cuti Bersama Tahun Baru Imlek 2577 Kongzili"),
    ("2026-03-18", "Cuti Bersama Hari Suci Nyepi Tahun Baru Saka 1948"),
    ("2026-03-20", "Cuti Bersama Idul Fitri 1447 Hijriah"),
    ("2026-03-23", "Cuti Bersama Idul Fitri 1447 Hijriah"),
    ("2026-03-24", "Cuti Bersama Idul Fitri 1447 Hijriah"),
    ("2026-05-15", "Cuti Bersama Kenaikan Yesus Kristus"),
    ("2026-05-28", "Cuti Bersama Idul Adha 1447 Hijriah"),
    ("2026-12-24", "Cuti Bersama Kelahiran Yesus Kristus"),
]


def seed(apps, schema_editor):
    PublicHoliday = apps.get_model("core", "PublicHoliday")
    rows = [(day, name, False) for day, name in HOLIDAYS] + [(day, name, True) for day, name in COLLECTIVE_LEAVE]
    PublicHoliday.objects.bulk_create(
        [
            PublicHoliday(date=datetime.date.fromisoformat(day), name=name, is_collective_leave=leave)
            for day, name, leave in rows
        ],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    PublicHoliday = apps.get_model("core", "PublicHoliday")
    days = [datetime.date.fromisoformat(day) for day, _name in HOLIDAYS + COLLECTIVE_LEAVE]
    PublicHoliday.objects.filter(date__in=days).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_public_holiday")]

    operations = [migrations.RunPython(seed, unseed)]
