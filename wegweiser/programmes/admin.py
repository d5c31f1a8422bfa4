"""Read-only admin: the catalogue is edited in its data files and loaded with load_catalogue."""

from django.contrib import admin
from django.db import models

from wegweiser.core.i18n import pick
from wegweiser.programmes.models import FundingLine, FundingRound, Programme


class ReadOnlyAdmin(admin.ModelAdmin):
    #: Web addresses without a scheme are https:// (Django 6's default, chosen now)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FundingRoundInline(admin.TabularInline):
    model = FundingRound
    fields = ("key", "start", "end", "assumed", "funding_line", "budget_eur")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("key", "display_name", "funder", "funding_line", "source_file")
    search_fields = ("key",)
    inlines = [FundingRoundInline]

    @admin.display(description="Name")
    def display_name(self, obj):
        return pick(obj.name)


@admin.register(FundingRound)
class FundingRoundAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "start",
        "end",
        "assumed_fields",
        "funding_line",
        "catalogue_version",
    )
    list_filter = ("programme", "funding_line")

    @admin.display(description="angenommen")
    def assumed_fields(self, obj):
        return ", ".join(obj.assumed) or "–"


@admin.register(FundingLine)
class FundingLineAdmin(ReadOnlyAdmin):
    list_display = ("key", "fund", "funder")
