"""Fixtures of the day stage's tests (loaded with ``pytest_plugins`` from its test modules).

signature     a PNG data URI with a stroke, as the signature pad sends it
blank_png     a PNG data URI of an empty (transparent) pad
pact          the Jakarta Pusat unit's Pakta Integritas, version 1
event_pact    that pact attached to ``event``
pdf_text      the text a PDF template lays out (WeasyPrint's boxes; pypdf is not installed)
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Units
from sinergi.accounts.models import User
from sinergi.events.models import CommitmentText, Event, EventCommitment

PACT_BODY = (
    "Kami yang bertanda tangan di bawah ini, selaku pengurus lembaga kemasyarakatan, menyatakan:\n"
    "1. Menjaga netralitas dan tidak menyalahgunakan kewenangan dalam tahapan Pemilu 2024;\n"
    "2. Menolak segala bentuk politik uang, hoaks dan ujaran kebencian;\n"
    "3. Menjaga lingkungan tetap aman, tertib dan kondusif."
)


def png_data_uri(*, ink: bool = True, size: tuple[int, int] = (300, 100)) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(10, 80), (120, 20), (250, 70)], fill=(11, 31, 75, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def signature() -> str:
    return png_data_uri()


@pytest.fixture
def blank_png() -> str:
    return png_data_uri(ink=False)


@pytest.fixture
def pact(units: Units, city_admin: User) -> CommitmentText:
    return CommitmentText.objects.create(
        unit=units.jakpus,
        kind=CommitmentText.Kind.INTEGRITY_PACT,
        title="Pakta Integritas",
        version=1,
        body=PACT_BODY,
        created_by=city_admin,
    )


@pytest.fixture
def event_pact(event: Event, pact: CommitmentText) -> EventCommitment:
    return EventCommitment.objects.create(event=event, text=pact)


def layout_text(template: str, context: dict[str, Any]) -> str:
    """The words WeasyPrint lays out for ``template``: what a reader of the PDF sees."""
    from sinergi.core.pdf import html_document

    words: list[str] = []
    for page in html_document(template, context).pages:
        for box in page._page_box.descendants():
            text = getattr(box, "text", None)
            if isinstance(text, str):
                words.append(text)
    return " ".join(" ".join(words).split())


@pytest.fixture
def pdf_text() -> Callable[[str, dict[str, Any]], str]:
    return layout_text
