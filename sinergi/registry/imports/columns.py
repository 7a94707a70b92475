"""The columns of the three imports (organisations, persons, officers) and their templates.

Headers are translatable; an uploaded file's headers are recognised in every language of the site
(and by the field names), in any order. The Excel template has the header row, an example row in
grey italics that the import skips while it stays unchanged, text formats for codes and NIKs,
drop-down lists for codes, and a second sheet explaining every column and its allowed values.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sinergi.registry.models import ImportJob, Officer, OrganisationKind, OrmasProfile, Person, Placement
from sinergi.registry.spreadsheets import CSV, HEADER_FILL, HEADER_FONT, XLSX, TableWriter, normalise_header

BLANK_ROWS_IN_TEMPLATE = 5000  # rows of the template that carry formats and drop-down lists


# --- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an import: the field it fills, its header and hint, and an example value."""

    key: str
    header: Promise
    hint: Promise | str
    example: str = ""
    required: bool = False
    text: bool = False  # formatted as text in Excel, so codes and NIKs keep their digits
    choices: Callable[[], list[str]] | None = None  # offered as a drop-down list in Excel
    width: int = 18

    def title(self) -> str:
        """The header as the template writes it; a star marks a required column."""
        return f"{self.header} *" if self.required else str(self.header)


def _kind_codes() -> list[str]:
    return list(OrganisationKind.objects.values_list("code", flat=True))


def _yes_no() -> list[str]:
    return ["ya", "tidak"]


def _codes(choices: Any) -> Callable[[], list[str]]:
    return lambda: [str(value) for value in choices.values]


ORG_REF_HINT = gettext_lazy(
    "The organisation's Sinergi ID (the first column of an organisation export) or, for an Ormas, "
    "its registration number."
)
REGION_HINT = gettext_lazy("Kemendagri code with or without dots, e.g. 31.71.01.1001 or 3171011001.")
DATE_HINT = gettext_lazy("A date: DD/MM/YYYY or YYYY-MM-DD.")
YES_NO_HINT = gettext_lazy("ya or tidak; empty means tidak.")

ORGANISATION_COLUMNS = [
    Column(
        "kind",
        gettext_lazy("Kind code"),
        gettext_lazy("The code of the organisation kind; the guide sheet lists them."),
        "ormas",
        required=True,
        choices=_kind_codes,
        width=14,
    ),
    Column("name", gettext_lazy("Name"), gettext_lazy("Full name."), "Perkumpulan Contoh Sejahtera", True, width=32),
    Column("abbreviation", gettext_lazy("Abbreviation"), gettext_lazy("Optional."), "PCS", width=12),
    Column(
        "region",
        gettext_lazy("Region code"),
        gettext_lazy(
            "Where it sits: for an RT or RW the kelurahan, otherwise the kelurahan, kecamatan, city or "
            "province its kind allows."
        ),
        "31.71.01",
        required=True,
        text=True,
    ),
    Column("rw", gettext_lazy("RW number"), gettext_lazy("For an RW or RT organisation: the RW's number."), width=10),
    Column("rt", gettext_lazy("RT number"), gettext_lazy("For an RT organisation: the RT's number."), width=10),
    Column(
        "parent",
        gettext_lazy("Parent organisation"),
        format_lazy("{} {}", gettext_lazy("Optional, for a branch:"), ORG_REF_HINT),
        text=True,
    ),
    Column("phone", gettext_lazy("Phone"), gettext_lazy("Optional."), "0812 3456 7890", text=True),
    Column("email", gettext_lazy("E-mail"), gettext_lazy("Optional."), "sekretariat@contoh.or.id", width=26),
    Column("address", gettext_lazy("Secretariat address"), gettext_lazy("Optional."), "Jl. Contoh No. 1", width=32),
    Column("latitude", gettext_lazy("Latitude"), gettext_lazy("Optional, e.g. -6.1754."), width=12),
    Column("longitude", gettext_lazy("Longitude"), gettext_lazy("Optional, e.g. 106.8272."), width=12),
    Column("founded_on", gettext_lazy("Founded on"), DATE_HINT, "17/08/2010", width=14),
    Column("member_count", gettext_lazy("Number of members"), gettext_lazy("A whole number."), "120", width=12),
    Column("field_of_activity", gettext_lazy("Field of activity"), gettext_lazy("Optional."), "Sosial", width=20),
    Column(
        "legal_form",
        gettext_lazy("Legal form (Ormas)"),
        gettext_lazy("Ormas only: perkumpulan, yayasan or skt. Needed when any Ormas column is filled."),
        "skt",
        choices=_codes(OrmasProfile.LegalForm),
        width=14,
    ),
    Column(
        "registration_number",
        gettext_lazy("Registration number (AHU or SKT)"),
        gettext_lazy("Ormas only."),
        "01-00-00/0123/D.III.4/VI/2021",
        text=True,
        width=26,
    ),
    Column("registration_issued_on", gettext_lazy("Registration issued on"), DATE_HINT, "10/06/2021", width=14),
    Column(
        "registration_expires_on",
        gettext_lazy("Registration valid until"),
        gettext_lazy("An SKT: empty means 5 years from issue. An AHU legal entity does not expire."),
        width=14,
    ),
    Column(
        "local_receipt_number",
        gettext_lazy("Local receipt number (SKTL)"),
        gettext_lazy("Ormas only."),
        text=True,
        width=20,
    ),
    Column("local_receipt_date", gettext_lazy("Local receipt date"), DATE_HINT, width=14),
    Column("npwp", gettext_lazy("NPWP"), gettext_lazy("15 or 16 digits, dots allowed."), text=True),
    Column(
        "scope",
        gettext_lazy("Scope (Ormas)"),
        gettext_lazy("national, provincial or city; empty means city."),
        "city",
        choices=_codes(OrmasProfile.Scope),
        width=12,
    ),
    Column(
        "board_level",
        gettext_lazy("Board level (Ormas)"),
        gettext_lazy("dpp, dpd, dpc or other; empty means other."),
        "dpc",
        choices=_codes(OrmasProfile.BoardLevel),
        width=12,
    ),
]

PERSON_COLUMNS = [
    Column("full_name", gettext_lazy("Full name"), gettext_lazy("As on the KTP."), "Siti Contoh", True, width=28),
    Column(
        "nik",
        gettext_lazy("NIK"),
        gettext_lazy("16 digits, typed as text so Excel keeps every digit."),
        "3171015705800001",
        required=True,
        text=True,
    ),
    Column(
        "sex",
        gettext_lazy("Sex"),
        gettext_lazy("L or P; empty: taken from the NIK, which it must agree with."),
        "P",
        choices=lambda: ["L", "P"],
        width=8,
    ),
    Column(
        "birth_date",
        gettext_lazy("Date of birth"),
        format_lazy("{} {}", gettext_lazy("Empty: taken from the NIK, which it must agree with."), DATE_HINT),
        "17/05/1980",
        width=14,
    ),
    Column("phone", gettext_lazy("Phone"), gettext_lazy("Optional."), "0812 3456 7890", text=True),
    Column("email", gettext_lazy("E-mail"), gettext_lazy("Optional."), width=26),
    Column("address", gettext_lazy("Address"), gettext_lazy("Optional."), "Jl. Contoh No. 2", width=32),
    Column(
        "region",
        gettext_lazy("Kelurahan code"),
        format_lazy("{} {}", gettext_lazy("Optional: the kelurahan or desa of domicile."), REGION_HINT),
        "31.71.01.1001",
        text=True,
    ),
    Column("rw", gettext_lazy("RW number"), gettext_lazy("Optional, with the RT number."), "1", width=10),
    Column("rt", gettext_lazy("RT number"), gettext_lazy("Optional: the RT of domicile."), "1", width=10),
]

OFFICER_COLUMNS = [
    Column("organisation", gettext_lazy("Organisation"), ORG_REF_HINT, "1234", required=True, text=True),
    Column(
        "nik",
        gettext_lazy("NIK"),
        gettext_lazy("The officer's NIK; the person must be registered (import the persons first)."),
        "3171015705800001",
        required=True,
        text=True,
    ),
    Column(
        "full_name",
        gettext_lazy("Name (to check)"),
        gettext_lazy("Optional: when the NIK belongs to someone of another name, the row gets a warning."),
        "Siti Contoh",
        width=28,
    ),
    Column(
        "position",
        gettext_lazy("Position"),
        gettext_lazy("ketua, wakil_ketua, sekretaris, bendahara, bidang or anggota."),
        "ketua",
        required=True,
        choices=_codes(Officer.Position),
        width=14,
    ),
    Column("position_title", gettext_lazy("Title"), gettext_lazy("Optional, e.g. Seksi Keamanan."), width=20),
    Column("sk_number", gettext_lazy("SK number"), gettext_lazy("Optional."), "188/2024", text=True),
    Column("sk_date", gettext_lazy("SK date"), DATE_HINT, "01/03/2024", width=14),
    Column("sk_issuer", gettext_lazy("SK issued by"), gettext_lazy("Optional."), "Lurah Gambir", width=20),
    Column("term_start", gettext_lazy("Term start"), DATE_HINT, "01/03/2024", required=True, width=14),
    Column(
        "term_end",
        gettext_lazy("Term end"),
        format_lazy("{} {}", gettext_lazy("Empty: a full term of the organisation's kind."), DATE_HINT),
        width=14,
    ),
    Column("is_acting", gettext_lazy("Acting (Plt.)"), YES_NO_HINT, "tidak", choices=_yes_no, width=10),
    Column(
        "no_party_statement",
        gettext_lazy("No-party statement signed"),
        YES_NO_HINT,
        "ya",
        choices=_yes_no,
        width=12,
    ),
]


def header_spellings(column: Column) -> set[str]:
    """Headers recognised for a column: its key and its header in every language."""
    spellings = {normalise_header(column.key)}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            spellings.add(normalise_header(str(column.header)))
    return spellings


def example_row(columns: Sequence[Column]) -> list[str]:
    return [column.example for column in columns]


COLUMNS: dict[str, list[Column]] = {
    ImportJob.Target.ORGANISATIONS: ORGANISATION_COLUMNS,
    ImportJob.Target.PERSONS: PERSON_COLUMNS,
    ImportJob.Target.OFFICERS: OFFICER_COLUMNS,
}


# --- templates -----------------------------------------------------------------------------------

GUIDE_NOTES = [
    gettext_lazy("Fill one row per record under the header row; keep the headers as they are."),
    gettext_lazy("Columns marked * are required."),
    gettext_lazy("Row 2 is an example: it is skipped while it stays unchanged; you may also delete it."),
    gettext_lazy("Dates as DD/MM/YYYY or YYYY-MM-DD; yes/no as “ya” or “tidak”."),
    gettext_lazy("Type NIKs, codes and phone numbers as text so that Excel keeps leading zeros and every digit."),
    gettext_lazy("Upload the file as .xlsx or .csv; you will see every problem before anything is saved."),
]


def template(target: str, fmt: str) -> bytes:
    """The downloadable template of an import: Excel with a guide sheet, or CSV."""
    columns = COLUMNS[target]
    out = io.BytesIO()
    if fmt == CSV:
        writer = TableWriter(out, CSV, sheet_title="", headers=[c.title() for c in columns])
        writer.write(example_row(columns))
        writer.close()
        return out.getvalue()
    assert fmt == XLSX
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(ImportJob.Target(target).label)[:31]
    example_font = Font(italic=True, color="808080")
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=column.title())
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(str(column.hint), "Sinergi")
        example = sheet.cell(row=2, column=position, value=column.example or None)
        example.font = example_font
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            for row in range(2, BLANK_ROWS_IN_TEMPLATE + 2):
                sheet.cell(row=row, column=position).number_format = "@"
        if column.choices is not None:
            values = column.choices()
            if values and len(",".join(values)) < 250:
                validation = DataValidation(
                    type="list", formula1=f'"{",".join(values)}"', allow_blank=True, errorStyle="warning"
                )
                validation.error = _("Choose a value from the list.")
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{BLANK_ROWS_IN_TEMPLATE + 1}")
    sheet.freeze_panes = "A2"
    _guide(workbook, target, columns)
    workbook.save(out)
    return out.getvalue()


def _guide(workbook: Workbook, target: str, columns: Sequence[Column]) -> None:
    guide = workbook.create_sheet(title=str(_("Guide"))[:31])
    bold = Font(bold=True)
    guide.append([_("How to fill in: %(target)s") % {"target": ImportJob.Target(target).label}])
    guide["A1"].font = Font(bold=True, size=14)
    for note in GUIDE_NOTES:
        guide.append([str(note)])
    guide.append([])
    guide.append([_("Column"), _("Required"), _("What to enter"), _("Allowed values"), _("Example")])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for column in columns:
        allowed = ", ".join(column.choices()) if column.choices is not None else ""
        guide.append(
            [str(column.header), _("yes") if column.required else "", str(column.hint), allowed, column.example]
        )
        guide.cell(row=guide.max_row, column=1).font = bold
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (28, 10, 60, 40, 24), strict=True):
        guide.column_dimensions[letter].width = width
    _guide_lists(guide, target)


def _guide_lists(guide: Any, target: str) -> None:
    """The codes a user must type, with what they mean."""
    lists: list[tuple[str, list[tuple[str, str]]]] = []
    if target == ImportJob.Target.ORGANISATIONS:
        placement_labels = dict(Placement.choices)
        lists.append(
            (
                _("Organisation kinds"),
                [
                    (
                        kind.code,
                        f"{kind.name} — " + ", ".join(str(placement_labels.get(p, p)) for p in kind.placements),
                    )
                    for kind in OrganisationKind.objects.all()
                ],
            )
        )
        lists.append((_("Legal forms"), [(str(v), str(label)) for v, label in OrmasProfile.LegalForm.choices]))
        lists.append((_("Board levels"), [(str(v), str(label)) for v, label in OrmasProfile.BoardLevel.choices]))
    elif target == ImportJob.Target.OFFICERS:
        lists.append((_("Positions"), [(str(v), str(label)) for v, label in Officer.Position.choices]))
    else:
        lists.append((_("Sex"), [("L", str(Person.Sex.MALE.label)), ("P", str(Person.Sex.FEMALE.label))]))
    for title, values in lists:
        guide.append([])
        guide.append([title])
        guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
        for code, meaning in values:
            guide.append([code, "", meaning])
