"""PDF documents (letters, attendance lists, certificates, reports) from Django templates, with
WeasyPrint. Templates extend ``pdf/base.html`` (A4, the house fonts, page numbers) and must not
fetch anything from the network: images are passed as ``data:`` URIs (see ``data_uri``) or static
files, which are read from disk."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _fetcher() -> Any:
    """``data:`` URIs and ``/static/...`` files read from disk; anything else is refused, so a
    document never reaches the network (and user text in a template cannot make it try)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            static = settings.STATIC_URL
            path = url.split("://", 1)[-1]
            if "/" in path and url.startswith(("http://", "https://")):
                path = "/" + path.split("/", 1)[1]
            if path.startswith(static):
                found = finders.find(path[len(static) :])
                if found:
                    file = Path(str(found))
                    mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": mime})
            raise ValueError(f"a PDF may only use static files and data: URIs, not {url!r}")

    return LocalFetcher(allowed_protocols={"data", "file", "http", "https"})


def html_document(template: str, context: dict[str, Any]) -> Any:
    """The laid-out WeasyPrint document of ``template`` (tests read its text from its pages)."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context), base_url="/", url_fetcher=_fetcher()).render()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context`` to PDF bytes."""
    return bytes(html_document(template, context).write_pdf())


def data_uri(content: bytes, mime_type: str) -> str:
    """An image for a PDF: the bytes inline, so nothing is fetched."""
    return f"data:{mime_type};base64,{base64.b64encode(content).decode()}"


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    """A QR code (segno) as an SVG data URI, sharp at any print size."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=scale)
