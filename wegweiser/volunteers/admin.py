"""Admin of the pools and the rates (platform administrators set up a pool for an organisation;
its coordinators run it on the volunteers' pages). Volunteers, bookings and hours are personal
data of the pools' organisations: not in the admin."""

from django.contrib import admin

from wegweiser.core.admin import ModelAdmin
from wegweiser.volunteers.models import Pool, Rate


@admin.register(Pool)
class PoolAdmin(ModelAdmin):
    list_display = ("name", "organisation", "kreis", "lead_days", "late_cancel_hours")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("organisation",)


@admin.register(Rate)
class RateAdmin(ModelAdmin):
    list_display = ("organisation", "valid_from", "eur_per_hour", "eur_per_km")
    autocomplete_fields = ("organisation",)
