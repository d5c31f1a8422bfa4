"""Account pages: where a login lands, choosing the organisation, the platform administration
(organisations, members, roles, active accounts) and accepting an invitation.

Thin views: the role check from the permissions table first (403 without), reads through
``selectors``, every change a POST calling one service; a refusal is shown on the form and
changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wegweiser.accounts import forms, selectors, services
from wegweiser.accounts.context import organisation_select
from wegweiser.accounts.permissions import can, organisations_where
from wegweiser.accounts.tokens import invitation_days, invitation_token_generator
from wegweiser.core.access import requires
from wegweiser.organisations.models import Organisation


def site_url(request: HttpRequest) -> str:
    """The address links in mails start with: ``WEGWEISER_SITE_URL``, else this request's."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


# --- where a login lands, the organisation switch ------------------------------------------------


@requires()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Case management for its roles, the offer maintenance for the offer maintainers, the
    volunteer pools for their coordinators and volunteers, the funding administration for its
    roles, the reports for the funders."""
    if can(request.roles, "cases.start"):
        return redirect("cases:start")
    if organisations_where(request.user, "offer.edit").exists():
        return redirect("directory:manage")
    if can(request.roles, "volunteer.manage"):
        return redirect("volunteers:dashboard")
    if can(request.roles, "volunteer.self"):
        return redirect("volunteers:me")
    if can(request.roles, "funding.apply") or can(request.roles, "funding.review"):
        return redirect("funding:home")
    if can(request.roles, "reports.dashboard"):
        return redirect("reporting:dashboard")
    return render(request, "accounts/home.html")


@requires()
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organisations current; any other id answers 403.

    Goes to the start page: the page one came from belongs to the previous organisation.
    """
    organisation_select(request, request.POST.get("organisation", ""))
    return redirect("accounts:home")


# --- platform administration ---------------------------------------------------------------------


def _organisation(request: HttpRequest, organisation_id) -> Organisation:
    try:
        return selectors.organisation_get(by=request.user, organisation_id=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None


def _member(request: HttpRequest, organisation, user_id) -> selectors.Member:
    try:
        return selectors.member_get(by=request.user, organisation=organisation, user_id=user_id)
    except get_user_model().DoesNotExist:
        raise Http404 from None


def _refused(form, error: services.AccountError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error))


def _status(form, request: HttpRequest) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@requires("accounts.view")
@require_safe
def organisations(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.organisations_overview(by=request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/organisations.html", {"page": page, "query": query})


@requires("accounts.organisation_create")
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=request.user, **form.cleaned_data)
        except services.AccountError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die Organisation wurde angelegt."))
            return redirect("accounts:admin-organisation", organisation_id=organisation.pk)
    return render(
        request, "accounts/organisation_form.html", {"form": form}, status=_status(form, request)
    )


@requires("accounts.view")
@require_safe
def organisation_detail(request: HttpRequest, organisation_id) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    members = selectors.members_of(by=request.user, organisation=organisation)
    return render(
        request,
        "accounts/organisation.html",
        {"organisation": organisation, "members": members},
    )


@requires("accounts.invite")
@require_http_methods(["GET", "POST"])
def member_invite(request: HttpRequest, organisation_id) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_invite(
                by=request.user,
                organisation=organisation,
                base_url=site_url(request),
                **form.cleaned_data,
            )
        except services.AccountError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die Einladung wurde gesendet."))
            return redirect("accounts:admin-organisation", organisation_id=organisation.pk)
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "organisation": organisation, "days": invitation_days()},
        status=_status(form, request),
    )


@requires("accounts.roles_change")
@require_http_methods(["GET", "POST"])
def member_roles(request: HttpRequest, organisation_id, user_id) -> HttpResponse:
    organisation = _organisation(request, organisation_id)
    member = _member(request, organisation, user_id)
    form = forms.RolesForm(request.POST or None, initial={"roles": [r.value for r in member.roles]})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.member_roles_change(
                by=request.user,
                organisation=organisation,
                user=member.user,
                roles=form.cleaned_data["roles"],
            )
        except services.AccountError as error:
            _refused(form, error)
        else:
            if changed:
                messages.success(request, _("Die Rollen wurden geändert."))
            else:
                messages.info(request, _("Die Rollen sind unverändert."))
            return redirect("accounts:admin-organisation", organisation_id=organisation.pk)
    return render(
        request,
        "accounts/member.html",
        {"form": form, "organisation": organisation, "member": member},
        status=_status(form, request),
    )


def _member_action(request: HttpRequest, organisation_id, user_id, action, done: str):
    organisation = _organisation(request, organisation_id)
    member = _member(request, organisation, user_id)
    try:
        action(member.user, organisation)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("accounts:admin-organisation", organisation_id=organisation.pk)


@requires("accounts.invite")
@require_POST
def invitation_resend(request: HttpRequest, organisation_id, user_id) -> HttpResponse:
    return _member_action(
        request,
        organisation_id,
        user_id,
        lambda user, organisation: services.invitation_resend(
            by=request.user,
            organisation=organisation,
            user=user,
            language=get_language(),
            base_url=site_url(request),
        ),
        _("Die Einladung wurde erneut gesendet. Der frühere Link gilt nicht mehr."),
    )


@requires("accounts.user_activate")
@require_POST
def user_deactivate(request: HttpRequest, organisation_id, user_id) -> HttpResponse:
    return _member_action(
        request,
        organisation_id,
        user_id,
        lambda user, _organisation: services.user_deactivate(by=request.user, user=user),
        _("Das Konto ist deaktiviert. Die Person kann sich nicht mehr anmelden."),
    )


@requires("accounts.user_activate")
@require_POST
def user_reactivate(request: HttpRequest, organisation_id, user_id) -> HttpResponse:
    return _member_action(
        request,
        organisation_id,
        user_id,
        lambda user, _organisation: services.user_reactivate(by=request.user, user=user),
        _("Das Konto ist wieder aktiv."),
    )


@requires("accounts.second_factor_reset")
@require_POST
def second_factor_reset(request: HttpRequest, organisation_id, user_id) -> HttpResponse:
    def reset(user, _organisation):
        done = services.second_factor_reset(
            by=request.user, user=user, language=get_language(), base_url=site_url(request)
        )
        if not done:
            raise services.AccountError(_("Für dieses Konto ist kein zweiter Faktor eingerichtet."))

    return _member_action(
        request,
        organisation_id,
        user_id,
        reset,
        _(
            "Der zweite Faktor ist zurückgesetzt. Die Person richtet bei der nächsten Anmeldung "
            "eine App neu ein."
        ),
    )


# --- the invitation link -------------------------------------------------------------------------


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Django's reset-confirm page with the invitation's token: the token moves from the URL
    into the session before the form is shown (no token in a Referer), the password rules are
    Django's validators. Only for an active account that has not set a password yet."""

    token_generator = invitation_token_generator
    form_class = forms.SetPasswordForm
    template_name = "accounts/invitation_accept.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active or user.has_usable_password():
            return None
        return user

    def form_valid(self, form):
        try:
            services.invitation_accept(user=form.user, password=form.cleaned_data["new_password1"])
        except services.AccountError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


# --- password reset (Django's views with our templates and mail) --------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset mail through Django's mail framework to the active accounts with this
    address (the page reads the same whether or not one exists). The mail holds the link only."""

    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    email_template_name = "accounts/mail/password_reset.txt"

    def form_valid(self, form):
        self.extra_email_context = {
            "base_url": site_url(self.request),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A deactivated account cannot set a new password with a link it received earlier."""

    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
