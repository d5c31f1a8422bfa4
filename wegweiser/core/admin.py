"""The bases of our admin classes (the admin is for platform administrators).

:class:`ModelAdmin` takes web addresses without a scheme as https:// (Django 6's default, chosen
now); :class:`ReadOnlyAdmin` shows rows that are kept elsewhere (the catalogue in its data files,
the regions in the shipped geodata, offers on the maintenance pages) and changes nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models


class ModelAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
