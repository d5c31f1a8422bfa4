"""The user's own notification settings (any logged-in user)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wegweiser.core.access import requires
from wegweiser.notifications import services
from wegweiser.notifications.forms import NotificationSettingsForm


@never_cache
@requires()
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = services.settings_for(request.user)
    form = NotificationSettingsForm(
        request.POST or None,
        user=request.user,
        initial={
            "email_enabled": current.email_enabled,
            "language": current.language,
            "email": request.user.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_save(
            by=request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            language=form.cleaned_data["language"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("notifications:settings")
    status = 400 if form.errors else 200
    return render(request, "notifications/settings.html", {"form": form}, status=status)
