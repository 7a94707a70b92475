"""PDF rendering: images inline or from static files, never from the network."""

from __future__ import annotations

import pytest
from django.template import engines

from sinergi.core import pdf

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def render(html: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    template = engines["django"].from_string(html)
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))
    return pdf.render_pdf("inline", {})


def test_a_document_with_an_inline_image_and_a_static_file_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    image = pdf.data_uri(PNG, "image/png")
    html = f'<p>Daftar hadir</p><img src="{image}"><img src="/static/sinergi/favicon.svg">'

    assert render(html, monkeypatch).startswith(b"%PDF-")


def test_a_document_never_fetches_from_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.urls import URLFetcher

    opened: list[str] = []
    monkeypatch.setattr(URLFetcher, "open", lambda self, url, *args, **kwargs: opened.append(str(url)))

    with pytest.raises(ValueError, match="only use static files"):
        pdf._fetcher().fetch("https://example.com/tracker.png")
    assert opened == []


def test_text_of_the_document_can_be_read_back(monkeypatch: pytest.MonkeyPatch) -> None:
    template = engines["django"].from_string("<p>Hadir: {{ n }} orang</p>")
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))
    document = pdf.html_document("inline", {"n": 39})

    text = " ".join(box.text for page in document.pages for box in _walk(page._page_box) if hasattr(box, "text"))
    assert "Hadir: 39 orang" in text


def _walk(box: object) -> list[object]:
    out = [box]
    for child in getattr(box, "children", []):
        out.extend(_walk(child))
    return out
