"""The case plan: goals, contacts and tasks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wegweiser.cases.models.cases import Case


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Arbeit")
        ACHIEVED = "achieved", _("erreicht")
        DROPPED = "dropped", _("aufgegeben")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("Ziel"), max_length=200)
    target_date = models.DateField(_("Zieldatum"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["case", "target_date", "created_at"]

    def __str__(self) -> str:
        return self.title


class ContactEntry(models.Model):
    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("persönlich")
        PHONE = "phone", _("Telefon")
        VIDEO = "video", _("Video")
        ONLINE = "online", _("online (schriftlich)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("Datum"))
    duration_minutes = models.PositiveIntegerField(_("Dauer (Minuten)"))
    channel = models.CharField(_("Form"), max_length=10, choices=Channel.choices)
    topics = models.JSONField(_("Themen"), default=list, blank=True)
    note = models.TextField(_("Notiz"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")
        ordering = ["case", "-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.date} ({self.get_channel_display()})"


class Task(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("Aufgabe"), max_length=200)
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_tasks",
        verbose_name=_("zuständig"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["case", "due_date", "created_at"]

    def __str__(self) -> str:
        return self.title
