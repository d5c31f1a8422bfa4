"""The second factor's pages (accounts/second_factor.py): the code after the password, setting
up the authenticator app (with the recovery codes, shown once), and "Sicherheit", where a
person sees what is set up and makes new recovery codes. The platform administrator's reset is
a button on the organisation's page (views.second_factor_reset)."""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.accounts import second_factor
from wegweiser.accounts.second_factor import SecondFactorError


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "dir": "ltr",
                "size": 12,
            }
        ),
    )


def _next(request: HttpRequest) -> str:
    """Where to go after the code: the page asked for, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _status(form, request: HttpRequest) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not second_factor.has_app(user):
        return redirect(_with_next("second-factor-setup", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    form.fields["code"].help_text = _(
        "Die sechs Ziffern aus Ihrer App – oder einer Ihrer Wiederherstellungscodes."
    )
    if form.is_valid():
        try:
            result = second_factor.verify(user, form.cleaned_data["code"])
        except SecondFactorError as error:
            form.add_error("code", str(error))
        else:
            second_factor.verified_in(request, result.device)
            left = result.recovery_codes_left
            if left is not None:
                messages.warning(
                    request,
                    ngettext(
                        "Sie haben einen Wiederherstellungscode verwendet; %(left)d ist noch "
                        "übrig. Erzeugen Sie unter „Sicherheit“ neue Codes.",
                        "Sie haben einen Wiederherstellungscode verwendet; %(left)d sind noch "
                        "übrig. Erzeugen Sie unter „Sicherheit“ neue Codes.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "next": _next(request)},
        status=_status(form, request),
    )


def _qr_code(url: str) -> str:
    return segno.make(url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=_("QR-Code für die Authenticator-App")
    )


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), enter one code. A
    person with an app must first log in with it to replace it."""
    user = request.user
    if second_factor.has_app(user) and not user.is_verified():
        return redirect(_with_next("second-factor", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    form.fields["code"].help_text = _("Die sechs Ziffern, die die App jetzt anzeigt.")
    if form.is_valid():
        try:
            codes = second_factor.confirm_app(user, form.cleaned_data["code"])
        except SecondFactorError as error:
            form.add_error("code", str(error))
        else:
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            second_factor.verified_in(request, device)
            return render(
                request,
                "accounts/second_factor_codes.html",
                {"codes": [second_factor.shown(c) for c in codes], "next": _next(request)},
            )
    app = second_factor.app_to_set_up(user)
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "key": app.key,
            "qr_code": _qr_code(app.url),
            "replacing": second_factor.has_app(user),
        },
        status=_status(form, request),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def security(request: HttpRequest) -> HttpResponse:
    """What protects the account: the app (since when, last used), the recovery codes left;
    new recovery codes (shown once)."""
    user = request.user
    if request.method == "POST":
        if not user.is_verified():
            return redirect(_with_next("second-factor", request))
        codes = second_factor.new_recovery_codes(user)
        messages.success(
            request, _("Neue Wiederherstellungscodes erzeugt; die alten gelten nicht mehr.")
        )
        return render(
            request,
            "accounts/second_factor_codes.html",
            {
                "codes": [second_factor.shown(c) for c in codes],
                "next": reverse("accounts:security"),
            },
        )
    return render(
        request,
        "accounts/security.html",
        {
            "app": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
            "codes_left": second_factor.recovery_codes_left(user),
            "required": second_factor.required(user),
        },
    )
