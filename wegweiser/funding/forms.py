"""Forms of the funding pages. They parse; the services decide (and refuse bad input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from wegweiser.funding.models import BudgetLine, Call
from wegweiser.organisations.selectors import region_choices

HESSEN = "06"
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
DATE = forms.DateInput(attrs={"type": "date"})


class ApplicationForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Aufruf"), queryset=Call.objects.none())
    title = forms.CharField(label=_("Vorhaben"), max_length=200)
    period_start = forms.DateField(label=_("Beginn"), widget=DATE)
    period_end = forms.DateField(label=_("Ende"), widget=DATE)
    regions = forms.MultipleChoiceField(
        label=_("Einsatzgebiet"), widget=forms.CheckboxSelectMultiple
    )
    total_eur = forms.DecimalField(label=_("Gesamtbetrag (EUR)"), **MONEY)

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["regions"].choices = region_choices(HESSEN)
        for kind, label in BudgetLine.Kind.choices:
            self.fields[f"line_{kind}"] = forms.DecimalField(
                label=label, required=False, initial=Decimal("0"), **MONEY
            )

    def lines(self) -> list[tuple[str, Decimal]]:
        return [
            (kind, self.cleaned_data[f"line_{kind}"])
            for kind in BudgetLine.Kind.values
            if self.cleaned_data.get(f"line_{kind}")
        ]


class ReviewForm(forms.Form):
    complete_budget = forms.BooleanField(label=_("Finanzierungsplan vollständig"), required=False)
    complete_period = forms.BooleanField(label=_("Zeitraum in der Förderrunde"), required=False)
    complete_regions = forms.BooleanField(label=_("Einsatzgebiet angegeben"), required=False)
    complete_eligible = forms.BooleanField(label=_("Antragsberechtigung geprüft"), required=False)
    notes = forms.CharField(label=_("Bewertung"), required=False, widget=forms.Textarea)
    score = forms.IntegerField(label=_("Punkte (0–10)"), required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=[("approve", _("bewilligen")), ("reject", _("ablehnen"))],
        widget=forms.RadioSelect,
    )
    amount_eur = forms.DecimalField(label=_("Bewilligter Betrag (EUR)"), required=False, **MONEY)
    conditions = forms.CharField(
        label=_("Nebenbestimmungen"), required=False, widget=forms.Textarea
    )
    reason = forms.CharField(label=_("Ablehnungsgrund"), required=False, widget=forms.Textarea)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "approve" and data.get("amount_eur") is None:
            self.add_error("amount_eur", _("Bitte geben Sie den bewilligten Betrag an."))
        return data


class PaymentForm(forms.Form):
    amount_eur = forms.DecimalField(label=_("Betrag (EUR)"), **MONEY)
    paid_on = forms.DateField(label=_("Auszahlungsdatum"), widget=DATE)


class ProofForm(forms.Form):
    narrative = forms.CharField(label=_("Sachbericht"), widget=forms.Textarea)
    receipts = forms.CharField(
        label=_("Belegliste"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "Ein Beleg je Zeile: Datum; Beschreibung; Betrag (z. B. 2026-03-01; Miete; 450)"
        ),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"actual_{line.pk}"] = forms.DecimalField(
                label=_("%(kind)s: tatsächlich (EUR)") % {"kind": line.get_kind_display()},
                initial=line.actual_eur,
                **MONEY,
            )

    def actuals(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[f"actual_{line.pk}"] for line in self.lines}

    def clean_receipts(self) -> list[dict]:
        rows = []
        for number, text in enumerate(self.cleaned_data["receipts"].splitlines(), start=1):
            if not text.strip():
                continue
            parts = [p.strip() for p in text.split(";")]
            try:
                day = dt.date.fromisoformat(parts[0])
                amount = Decimal(parts[2].replace(",", "."))
            except (ValueError, IndexError, InvalidOperation):
                raise forms.ValidationError(
                    _("Zeile %(number)s der Belegliste ist nicht lesbar."),
                    params={"number": number},
                ) from None
            rows.append({"date": day.isoformat(), "text": parts[1], "amount": str(amount)})
        return rows


class ProofCheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Prüfergebnis"),
        choices=[("accept", _("anerkennen")), ("return", _("zurückgeben"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Hinweis der Behörde"), required=False, widget=forms.Textarea)
