"""Admin for platform administrators: organisations, projects and places are edited here;
offers are edited by their organisations on the maintenance pages (which keep the search index
in step), so the admin shows them read-only."""

from django.contrib import admin
from django.db import models

from wegweiser.directory import search, services
from wegweiser.directory.models import (
    Location,
    Offer,
    Organisation,
    Project,
    ProjectPartner,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["ags", "label", "kind", "land"]
    list_filter = ["kind", "land"]
    search_fields = ["ags", "name", "label"]
    exclude = ["geometry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default
    list_display = ["name", "kind", "parent", "is_synthetic"]
    list_filter = ["kind", "is_synthetic"]
    search_fields = ["name", "alternate_name", "email"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.offer_refresh_index(obj.offers.all())  # the name is part of the text index

    def delete_model(self, request, obj):
        self.delete_queryset(request, Organisation.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        search.unindex_offers(
            Offer.objects.filter(organisation__in=queryset).values_list("id", flat=True)
        )
        super().delete_queryset(request, queryset)


class PartnerInline(admin.TabularInline):
    model = ProjectPartner
    autocomplete_fields = ["organisation"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "carrier", "funding_round", "start", "end"]
    list_filter = ["funding_round__programme"]
    search_fields = ["name", "carrier__name"]
    autocomplete_fields = ["carrier"]
    filter_horizontal = ["regions"]
    inlines = [PartnerInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["street", "postcode", "city", "region", "organisation"]
    search_fields = ["street", "postcode", "city", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["region", "city_region"]

    def save_model(self, request, obj, form, change):
        services.location_save(obj, by=request.user)

    def delete_model(self, request, obj):
        self.delete_queryset(request, Location.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.location_delete(queryset, by=request.user)


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default
    list_display = ["__str__", "organisation", "status", "last_verified", "region"]
    list_filter = ["status", "funding_round__programme"]
    search_fields = ["sort_name", "organisation__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
