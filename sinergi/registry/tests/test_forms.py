"""The quick ``<select>`` of the list's area filter draws what ``forms.Select`` would."""

from django import forms as django_forms

from sinergi.registry.forms import QuickSelect


def test_the_quick_select_escapes_labels_and_selects_the_value() -> None:
    choices = [("", "Every area"), ("31.71", "Kota <Pusat> & co"), ("31.71.02", "\u00a0\u00a0Sawah Besar")]
    html = QuickSelect(attrs={"class": "form-select"}, choices=choices).render("area", "31.71", {"id": "id_area"})

    assert html.startswith('<select class="form-select" id="id_area" name="area">')
    assert '<option value="31.71" selected>Kota &lt;Pusat&gt; &amp; co</option>' in html
    assert '<option value="">Every area</option>' in html
    assert html.count(" selected") == 1


def test_the_quick_select_selects_the_empty_choice_without_a_value() -> None:
    html = QuickSelect(choices=[("", "Every area"), ("31.71", "Pusat")]).render("area", None)

    assert '<option value="" selected>Every area</option>' in html
    assert django_forms.Select(choices=[("", "Every area")]).render("area", None).count("selected") == 1
