"""Forms of the day stage: the code read from a QR (or typed), a drawn signature, commitment texts,
a participant's signature under a commitment, minutes, follow-ups and photos."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Role, Unit, User
from sinergi.events.models import CommitmentText


class CodeForm(forms.Form):
    """What the camera read from a QR code, or the code typed by hand; or a participant found by name."""

    code = forms.CharField(label=_("Code from the QR"), max_length=300, required=False)
    participant = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SignatureForm(forms.Form):
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400_000)


class CommitmentTextForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentText.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = writable_units(user)
        units = list(field.queryset[:2])
        if len(units) == 1:
            field.initial = units[0].pk


def writable_units(user: User) -> QuerySet[Unit]:
    """The units in which the user writes (their texts go to that unit's library)."""
    if user.is_superuser:
        return Unit.objects.filter(is_active=True)
    ids = [r.unit_id for r in user.active_roles() if r.kind in Role.WRITE_KINDS and r.unit_id]
    return Unit.objects.filter(pk__in=ids, is_active=True)


class ReviseForm(forms.Form):
    body = forms.CharField(label=_("New wording"), widget=forms.Textarea(attrs={"rows": 12}))


class AttachForm(forms.Form):
    text = forms.ModelChoiceField(label=_("Text from the library"), queryset=CommitmentText.objects.none())

    def __init__(self, *args: Any, texts: QuerySet[CommitmentText], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = texts


class SignForm(forms.Form):
    typed_name = forms.CharField(label=_("Your full name"), max_length=150)
    drawn = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400_000)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


class MinutesForm(forms.Form):
    summary = forms.CharField(label=_("Summary of the discussion"), widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 5}), required=False)


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("Follow-up"), max_length=300)
    owner = forms.CharField(label=_("Who"), max_length=150)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)
