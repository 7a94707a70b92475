"""Rendering the day's PDFs with WeasyPrint 70's fetcher interface.

``sinergi.core.pdf.render_pdf`` still uses the fetcher interface WeasyPrint 70 removed
(``default_url_fetcher`` and a dict answer), so any image in a document (the drawn signatures) stops
the rendering there. This renderer keeps its rule (only ``data:`` URIs and static files, never the
network) with a ``URLFetcher`` subclass; the same change to ``core/pdf.py`` is proposed to the
lead, after which this module gives way to ``render_pdf``."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """``data:`` URIs and ``/static/...`` files from disk; everything else is refused."""

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
    """The laid-out WeasyPrint document of ``template`` (tests read its text from it)."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context), base_url="/", url_fetcher=_fetcher()).render()


def render(template: str, context: dict[str, Any]) -> bytes:
    """``template`` with ``context`` as PDF bytes."""
    return bytes(html_document(template, context).write_pdf())
