"""Read-only admin of the catalogue (edited in its data files and loaded with load_catalogue);
the funded projects, with their Verbund partners, are edited here."""

from django.contrib import admin

from wegweiser.core.admin import ModelAdmin, ReadOnlyAdmin
from wegweiser.core.i18n import pick
from wegweiser.programmes.models import (
    FundingLine,
    FundingRound,
    Programme,
    Project,
    ProjectPartner,
)


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


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    autocomplete_fields = ["organisation"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(ModelAdmin):
    list_display = ["name", "carrier", "funding_round", "start", "end"]
    list_filter = ["funding_round__programme"]
    search_fields = ["name", "carrier__name"]
    autocomplete_fields = ["carrier"]
    filter_horizontal = ["regions"]
    inlines = [PartnerInline]
