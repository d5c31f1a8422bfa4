"""Admin for platform administrators: places are edited here, organisations too (their admin is
in ``organisations/admin.py``; here it also keeps the search index in step), projects in
``programmes/admin.py``; offers are edited by their organisations on the maintenance pages
(which keep the search index in step), so the admin shows them read-only."""

from django.contrib import admin

from wegweiser.core.admin import ModelAdmin, ReadOnlyAdmin
from wegweiser.directory import search, services
from wegweiser.directory.models import Location, Offer
from wegweiser.organisations import admin as organisations_admin
from wegweiser.organisations.models import Organisation

# The organisations app registers its admin first (it comes before the directory in
# INSTALLED_APPS); this one adds what an organisation's change means for the search.
admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationAdmin(organisations_admin.OrganisationAdmin):
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


@admin.register(Location)
class LocationAdmin(ModelAdmin):
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
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organisation", "status", "last_verified", "region"]
    list_filter = ["status", "funding_round__programme"]
    search_fields = ["sort_name", "organisation__name"]
