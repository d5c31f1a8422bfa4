"""The report's filter: a breakdown and a period (entries and exits in it)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wegweiser.core.forms import AccessibleForm
from wegweiser.reporting.indicators import CODES, COLUMNS
from wegweiser.reporting.labels import DIMENSION_NAMES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ReportFilter(AccessibleForm):
    by = forms.ChoiceField(
        label=_("aufgeschlüsselt nach"),
        choices=[("", _("keine Aufschlüsselung")), *DIMENSION_NAMES.items()],
        required=False,
    )
    start = forms.DateField(label=_("Zeitraum von"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Zeitraum bis"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Das Ende liegt vor dem Beginn."))
        return data

    def values(self) -> dict:
        """The valid filter (an invalid one counts as no filter)."""
        if not self.is_valid():
            return {"by": None, "start": None, "end": None}
        data = self.cleaned_data
        return {"by": data["by"] or None, "start": data["start"], "end": data["end"]}


class Cell(forms.Form):
    """One cell of an indicator table (the drill-down)."""

    code = forms.ChoiceField(choices=[(c, c) for c in CODES])
    column = forms.ChoiceField(choices=[(c, c) for c in COLUMNS])
    group = forms.CharField(required=False, max_length=100)
