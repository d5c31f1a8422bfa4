from django.contrib import admin

from wegweiser.core.admin import ModelAdmin, ReadOnlyAdmin
from wegweiser.funding.models import Application, Call


@admin.register(Call)
class CallAdmin(ModelAdmin):
    list_display = ["title", "year", "funding_round", "authority", "cap_eur", "budget_eur"]
    list_filter = ["year"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Applications change only through the services (one per status transition)."""

    list_display = ["title", "organisation", "call", "status", "total_eur"]
    list_filter = ["status"]
