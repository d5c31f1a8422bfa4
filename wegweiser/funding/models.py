"""Funding administration (issue 15): calls, applications with budget lines, the review, the
decision, payments in tranches and the proof of use (Verwendungsnachweis).

Models never write themselves: every change goes through one service per status transition
(:mod:`wegweiser.funding.services`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import FundingRound, Project

#: The proof of use is due this many months after the end of the funding period.
PROOF_DUE_MONTHS = 6


def retention_years() -> int:
    """Years the files are kept after the last payment (``FUNDING_RETENTION_YEARS``, default 10;
    docs/funding.md gives the rules)."""
    return int(getattr(settings, "FUNDING_RETENTION_YEARS", 10))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


class Call(models.Model):
    """A call for applications (Förderaufruf): one funding round, one year, a budget and a cap
    per unit (e.g. 50,000 € per Kreis for WIR-Fallmanagement)."""

    funding_round = models.ForeignKey(
        FundingRound, on_delete=models.PROTECT, related_name="calls", verbose_name=_("Förderrunde")
    )
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_calls",
        verbose_name=_("Bewilligungsbehörde"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Jahr"))
    budget_eur = models.DecimalField(_("Budget (EUR)"), max_digits=12, decimal_places=2)
    cap_eur = models.DecimalField(
        _("Höchstbetrag je Antrag (EUR)"), max_digits=12, decimal_places=2
    )
    rules = models.TextField(_("Förderbedingungen"), blank=True)
    opens = models.DateField(_("Antragsbeginn"))
    closes = models.DateField(_("Antragsschluss"))

    class Meta:
        verbose_name = _("Förderaufruf")
        verbose_name_plural = _("Förderaufrufe")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.title} {self.year}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    IN_REVIEW = "in_review", _("in Prüfung")
    APPROVED = "approved", _("bewilligt")
    REJECTED = "rejected", _("abgelehnt")
    PROOF_SUBMITTED = "proof_submitted", _("Verwendungsnachweis eingereicht")
    CLOSED = "closed", _("abgeschlossen")


class Application(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("Aufruf")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_applications",
        verbose_name=_("Antragstellende Organisation"),
    )
    title = models.CharField(_("Vorhaben"), max_length=200)
    period_start = models.DateField(_("Beginn"))
    period_end = models.DateField(_("Ende"))
    regions = models.ManyToManyField(
        Region, related_name="funding_applications", verbose_name=_("Einsatzgebiet")
    )
    total_eur = models.DecimalField(_("Gesamtbetrag (EUR)"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_applications",
        verbose_name=_("Gefördertes Projekt"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Förderantrag")
        verbose_name_plural = _("Förderanträge")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def proof_due(self) -> dt.date:
        """Six months after the end of the period."""
        return add_months(self.period_end, PROOF_DUE_MONTHS)

    @property
    def paid_eur(self) -> Decimal:
        return sum((p.amount_eur for p in self.payments.all()), Decimal("0"))

    @property
    def retention_until(self) -> dt.date | None:
        """31 December of the year of the last payment plus the retention years."""
        last = max((p.paid_on for p in self.payments.all()), default=None)
        if last is None:
            return None
        return dt.date(last.year + retention_years(), 12, 31)


class BudgetLine(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Personalausgaben")
        MATERIAL = "material", _("Sachausgaben")
        VOLUNTEERS = "volunteers", _("Aufwandsentschädigungen Ehrenamt")
        OTHER = "other", _("Sonstige Ausgaben")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    planned_eur = models.DecimalField(_("geplant (EUR)"), max_digits=12, decimal_places=2)
    actual_eur = models.DecimalField(
        _("tatsächlich (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("Ausgabenposition")
        verbose_name_plural = _("Ausgabenpositionen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.planned_eur} €"


class Review(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    complete_budget = models.BooleanField(_("Finanzierungsplan vollständig"), default=False)
    complete_period = models.BooleanField(_("Zeitraum in der Förderrunde"), default=False)
    complete_regions = models.BooleanField(_("Einsatzgebiet angegeben"), default=False)
    complete_eligible = models.BooleanField(_("Antragsberechtigung geprüft"), default=False)
    notes = models.TextField(_("Bewertung"), blank=True)
    score = models.PositiveSmallIntegerField(_("Punkte (0–10)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Prüfung")
        verbose_name_plural = _("Prüfungen")

    def __str__(self) -> str:
        return str(self.application)

    @property
    def complete(self) -> bool:
        return all(
            (
                self.complete_budget,
                self.complete_period,
                self.complete_regions,
                self.complete_eligible,
            )
        )


class Decision(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    approved = models.BooleanField(_("bewilligt"))
    amount_eur = models.DecimalField(
        _("Bewilligter Betrag (EUR)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    conditions = models.TextField(_("Nebenbestimmungen"), blank=True)
    reason = models.TextField(_("Ablehnungsgrund"), blank=True)
    decided_on = models.DateField(_("Bescheiddatum"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Förderentscheidung")
        verbose_name_plural = _("Förderentscheidungen")

    def __str__(self) -> str:
        return str(self.application)


class Payment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="payments")
    tranche = models.PositiveSmallIntegerField(_("Rate"))
    amount_eur = models.DecimalField(_("Betrag (EUR)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("Auszahlungsdatum"))

    class Meta:
        verbose_name = _("Auszahlung")
        verbose_name_plural = _("Auszahlungen")
        ordering = ["tranche"]
        constraints = [
            models.UniqueConstraint(fields=["application", "tranche"], name="unique_tranche")
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.tranche}"


class ProofOfUse(models.Model):
    """The Verwendungsnachweis: a narrative report and the financial statement (plan vs actual
    per budget line, the actual amounts on the lines) with the list of receipts."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("eingereicht")
        ACCEPTED = "accepted", _("anerkannt")
        RETURNED = "returned", _("zurückgegeben")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="proof")
    narrative = models.TextField(_("Sachbericht"))
    #: [{"date": "2026-03-01", "text": "…", "amount": "120.00"}, …]
    receipts = models.JSONField(_("Belegliste"), default=list, blank=True)
    state = models.CharField(
        _("Stand"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    submitted_on = models.DateField(_("eingereicht am"))
    checked_on = models.DateField(_("geprüft am"), null=True, blank=True)
    note = models.TextField(_("Hinweis der Behörde"), blank=True)

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")

    def __str__(self) -> str:
        return str(self.application)

    def receipt_rows(self) -> list[dict]:
        """The receipts with a date and an amount to format in the page's language (stored as
        ISO date and decimal text)."""
        return [
            {
                "day": dt.date.fromisoformat(r["date"]),
                "text": r["text"],
                "amount": Decimal(r["amount"]),
            }
            for r in self.receipts
        ]
