"""Formatted text is sanitised before it is stored and rendered."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.announcements.models import Announcement
from sinergi.announcements.services import sanitise

pytestmark = pytest.mark.django_db


def test_scripts_and_event_handlers_are_stripped_on_save(draft: Callable[..., Announcement]) -> None:
    announcement = draft(
        body='<p onclick="steal()">Halo <b>warga</b></p><script>alert(1)</script><a href="javascript:x()">x</a>'
        '<img src=x onerror=alert(1)><a href="https://bps.go.id">BPS</a>'
    )

    body = Announcement.objects.get(pk=announcement.pk).body
    assert "<script" not in body
    assert "alert" not in body
    assert "onclick" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
    assert "<b>warga</b>" in body
    assert '<a href="https://bps.go.id" rel="noopener noreferrer">BPS</a>' in body


def test_plain_text_keeps_its_paragraphs() -> None:
    assert sanitise("Satu\nbaris\n\nDua <3") == "<p>Satu<br>baris</p><p>Dua &lt;3</p>"


@given(st.text(max_size=200))
def test_no_input_survives_as_a_script(text: str) -> None:
    cleaned = sanitise(f"<div>{text}</div><script>{text}</script>{text}")
    assert "<script" not in cleaned.lower()
    assert not re.search(r"<[^>]*\son\w*\s*=", cleaned, re.IGNORECASE)
