"""Organisations are edited here by platform administrators (also created on the account
administration pages); regions come from the shipped geodata (``load_regions``) and are shown
read-only. The directory extends :class:`OrganisationAdmin` to keep its search index in step
(``directory/admin.py``)."""

from django.contrib import admin

from wegweiser.core.admin import ModelAdmin, ReadOnlyAdmin
from wegweiser.organisations.models import Organisation, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["ags", "label", "kind", "land"]
    list_filter = ["kind", "land"]
    search_fields = ["ags", "name", "label"]
    exclude = ["geometry"]


@admin.register(Organisation)
class OrganisationAdmin(ModelAdmin):
    list_display = ["name", "kind", "parent", "is_synthetic"]
    list_filter = ["kind", "is_synthetic"]
    search_fields = ["name", "alternate_name", "email"]
    autocomplete_fields = ["parent"]
