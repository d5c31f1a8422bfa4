"""The audit log: who did what to which data, when. Append-only; holds no names and no Art. 9 data.

Moved here from the case management (issue 12) without moving data: the table keeps its name
``cases_auditentry`` and the PostgreSQL trigger that refuses UPDATE and DELETE on it (created by
the cases app's migration 0002, see ``migrations/0001_initial.py``).

An entry's **subject** is any model's row: ``object_type`` is the model's name (``participant``,
``case``, ``user``, ``organisation`` …; unique across the project, checked at start-up by
``audit.E001``), ``object_id`` its primary key. ``participant_id`` names the person an entry
concerns, if any (the file read or changed, or the person a consent or a referral is about), so
that a person's whole trail can be found and exported, also after her erasure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.audit import clock
from wegweiser.organisations.models import Organisation


class AuditAction(models.TextChoices):
    """What was done. The one list of the platform (its values are stored): reads, writes, the
    case workflow, consent, referrals, and the platform administration."""

    VIEW = "view", _("angesehen")
    CREATE = "create", _("angelegt")
    UPDATE = "update", _("geändert")
    TRANSITION = "transition", _("Statuswechsel")
    ENROL = "enrol", _("aufgenommen")
    OVERRIDE = "override", _("Ausnahme von der Förderprüfung")
    EXPORT = "export", _("exportiert")
    ERASE = "erase", _("gelöscht")
    ANONYMISE = "anonymise", _("anonymisiert")
    CONSENT_GIVEN = "consent_given", _("Einwilligung erfasst")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Einwilligung widerrufen")
    REFERRAL_SENT = "referral_sent", _("Überweisung gesendet")
    REFERRAL_VIEWED = "referral_viewed", _("Überweisung angesehen (Empfängerin)")
    REFERRAL_ANSWERED = "referral_answered", _("Überweisung beantwortet")
    REFERRAL_WITHDRAWN = "referral_withdrawn", _("Überweisung zurückgezogen")
    REFERRAL_EXPIRED = "referral_expired", _("Überweisung abgelaufen")
    REFERRAL_COMPLETED = "referral_completed", _("Überweisung abgeschlossen")
    REFERRAL_LINK = "referral_link", _("Antwort-Link erstellt")
    # platform administration (accounts/services.py): users, organisations, memberships
    ORGANISATION_CREATED = "organisation_created", _("Organisation angelegt")
    MEMBER_INVITED = "member_invited", _("Person eingeladen")
    INVITATION_RESENT = "invitation_resent", _("Einladung erneut gesendet")
    INVITATION_ACCEPTED = "invitation_accepted", _("Einladung angenommen")
    ROLES_CHANGED = "roles_changed", _("Rollen geändert")
    USER_DEACTIVATED = "user_deactivated", _("Konto deaktiviert")
    USER_REACTIVATED = "user_reactivated", _("Konto reaktiviert")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Zweiter Faktor zurückgesetzt")
    # volunteers (volunteers/services.py)
    BOOKING_STEP = "booking_step", _("Einsatz: Statuswechsel")
    BOOKING_ANSWERED = "booking_answered", _("Einsatz über den Link beantwortet")
    TANDEM_STEP = "tandem_step", _("Tandem: Statuswechsel")
    # funding administration (issue 15)
    FUNDING_DECIDED = "funding_decided", _("Förderentscheidung")
    FUNDING_PAID = "funding_paid", _("Auszahlung")
    # ESF Plus reporting (reporting/): an export of tables or of the monitoring file
    REPORT_EXPORTED = "report_exported", _("Bericht exportiert")


class AppendOnlyError(Exception):
    """Audit entries are written once and never changed or deleted."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit entries cannot be updated")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be updated")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("audit entries are appended one by one (audit.services.audit)")


class AuditEntry(models.Model):
    """Who did what to whose data, when. Append-only; holds no names and no Art. 9 data.

    ``participant_id`` is a plain UUID, not a foreign key, so that the entry outlives the erasure
    of the person it is about.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("Zeitpunkt"), default=clock.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer: Antwort über einen Link oder das System"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("Aktion"), max_length=24, choices=AuditAction.choices)
    object_type = models.CharField(_("Objektart"), max_length=40)
    object_id = models.CharField(_("Objekt"), max_length=64)
    participant_id = models.UUIDField(_("Person"), null=True, blank=True, db_index=True)
    detail = models.JSONField(_("Einzelheiten"), default=dict, blank=True)
    # the hash chain (audit/chain.py): the entry's place, the hash of the one before, its own
    seq = models.PositiveBigIntegerField(_("Position im Protokoll"), unique=True, editable=False)
    prev_hash = models.CharField(_("Prüfsumme des vorigen Eintrags"), max_length=64, editable=False)
    hash = models.CharField(_("Prüfsumme"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-at", "-id"]
        db_table = "cases_auditentry"
        indexes = [
            models.Index(fields=["organisation", "-at"], name="cases_audit_organis_8a34ed_idx")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be updated")
        if not (self.seq and self.hash):
            raise AppendOnlyError("audit entries are appended through audit.services.audit")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditChainHead(models.Model):
    """The end of the hash chain: one row (id 1), the last entry's position and hash. Every
    writer moves it first, which makes writers wait for each other (audit/chain.py)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "audit_chainhead"
        verbose_name = _("Ende der Protokollkette")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"
