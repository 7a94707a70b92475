"""Rendering the after stage's long PDFs (certificates, activity report) in parts.

The pages come from ``sinergi.core.pdf.html_document`` (same fetcher: only ``data:`` URIs and static
files); they are kept unwritten, so a long document is laid out in parts, with progress in between,
and written once as one file."""

from __future__ import annotations

from typing import Any

from sinergi.core.pdf import html_document


def render(template: str, context: dict[str, Any]) -> Any:
    """The laid-out pages of ``template`` (a WeasyPrint document, not yet written)."""
    return html_document(template, context)


def write(documents: list[Any]) -> bytes:
    """The pages of ``documents``, in order, as one PDF."""
    pages = [page for document in documents for page in document.pages]
    return bytes(documents[0].copy(pages).write_pdf())
