from django import forms
from django.utils.translation import gettext_lazy as _


class NumberForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999)
