"""Template helpers for the pages: Bootstrap form widgets and audit change rows."""

from __future__ import annotations

import json
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def bootstrap(field: forms.BoundField) -> SafeString:
    """The field's widget with Bootstrap's class, marked invalid when the field has errors."""
    classes = [field.field.widget.attrs.get("class", ""), _widget_class(field.field.widget)]
    if field.errors:
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in classes if c)})


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@register.filter
def change_rows(changes: Any) -> list[tuple[str, str, str]]:
    """``(field, before, after)`` rows from an audit event's changes.

    Services store ``{field: [before, after]}``; some events (imports, demo
    data) store plain ``{name: value}`` summaries, shown as an "after" value.
    """
    if not isinstance(changes, dict):
        return [("", "", _show(changes))] if changes else []
    rows = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            rows.append((name, _show(value[0]), _show(value[1])))
        else:
            rows.append((name, "", _show(value)))
    return rows


@register.simple_tag
def elided_page_range(page: Any) -> list[Any]:
    """Page numbers around the current page, with ellipses, for pagination links."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
