"""Public directory pages (search with map, offer, organisation, project) and the maintenance
pages where an organisation's staff edit their own offers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wegweiser.accounts import recipients
from wegweiser.accounts.permissions import directory_organisations, organisations_where
from wegweiser.core.access import requires
from wegweiser.core.templatetags.fast import kept_reverse
from wegweiser.directory import maps, offer_page, search_page, selectors, services
from wegweiser.directory.forms import PAGE_SIZE, OfferEditForm, OfferSearchForm
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.citations import stored_rules
from wegweiser.programmes.models import Project
from wegweiser.programmes.selectors import engine_catalogue


def _querystring(request: HttpRequest, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@transaction.non_atomic_requests  # reads only: no BEGIN and COMMIT around them
@require_safe
def offer_search(request: HttpRequest) -> HttpResponse:
    result = None
    if request.GET:
        form = OfferSearchForm(request.GET)
        if form.is_valid():
            result = selectors.search_offers(form.to_query(), read_only=True)
    else:  # no filters: every offer, by name (one form, not three)
        form = OfferSearchForm()
        result = selectors.search_offers(selectors.OfferQuery(page_size=PAGE_SIZE), read_only=True)
    query = _querystring(request)
    # the map asks the API for what the list shows; for a form with errors nothing (the API
    # would refuse the same values)
    geojson_url = regions_url = ""
    if result is not None:
        geojson_url = kept_reverse("api-v1:offers_geojson") + ("?" + query if query else "")
        regions_url = (
            kept_reverse("api-v1:regions")
            + ("?" + urlencode({"geometry": "true"}))
            + ("&" + query if query else "")
        )
    results = search_page.results_html(form, result, query, geojson_url, regions_url)
    # htmx asks for the result list only; on a history restore it needs the whole page.
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        response = HttpResponse(results)
    else:
        context = {
            "form": form,
            "result": result,
            "map": maps.map_settings(),
            "form_html": search_page.form_html(form),
            "results_html": results,
        }
        response = render(request, "directory/search.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


def _offer_or_404(request: HttpRequest, offer_id) -> Offer:
    try:
        if not request.user.is_authenticated:  # a visitor: published offers, kept
            return offer_page.published_offer(offer_id)
        return selectors.offer_get(
            offer_id, include_drafts_of=directory_organisations(request.user)
        )
    except Offer.DoesNotExist:
        raise Http404 from None


@transaction.non_atomic_requests  # reads only
@require_safe
def offer_detail(request: HttpRequest, offer_id) -> HttpResponse:
    offer = _offer_or_404(request, offer_id)
    # a contact request only where someone on the platform will read it (issue 11)
    # (shown from the kept list of organisations that answer; sending one checks again)
    offer.receives_requests = (
        offer.status == Offer.PUBLISHED
        and offer.organisation_id in recipients.receiving_organisation_ids([offer.organisation_id])
    )

    def article() -> str:
        rules = []
        if offer.funding_round_id:
            rules = stored_rules(offer.funding_round.rules, engine_catalogue())
        context = {"offer": offer, "rules": rules, "map": maps.map_settings()}
        return render_to_string("directory/_offer_article.html", context)

    # a visitor's page shows only published, kept data: its content is kept rendered too
    content = (
        article() if request.user.is_authenticated else offer_page.visitor_article(offer, article)
    )
    return render(request, "directory/offer.html", {"offer": offer, "article": content})


@require_safe
def organisation_detail(request: HttpRequest, org_id) -> HttpResponse:
    try:
        org = selectors.organisation_get(org_id)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "directory/organisation.html",
        {
            "organisation": org,
            "offers": selectors.organisation_offers(org),
            "projects": Project.objects.filter(carrier=org).select_related(
                "funding_round__programme"
            ),
            "partner_projects": Project.objects.filter(memberships__organisation=org).exclude(
                carrier=org
            ),
            "branches": org.branches.order_by("name"),
        },
    )


@require_safe
def project_detail(request: HttpRequest, project_id) -> HttpResponse:
    try:
        project = selectors.project_get(project_id)
    except Project.DoesNotExist:
        raise Http404 from None
    offers = selectors.published_offers().filter(project=project).order_by("sort_name")
    return render(request, "directory/project.html", {"project": project, "offers": offers})


# --- maintenance -------------------------------------------------------------------------------
# Who may do what is the permissions table (accounts/permissions.py, ``offer.*``), read across
# the user's organisations: without the action in any organisation 403, another organisation's
# offer 404 like a missing one.

#: The actions of the maintenance list's buttons -> the permission each needs.
OFFER_ACTIONS = {
    "publish": "offer.publish",
    "unpublish": "offer.withdraw",
    "verify": "offer.verify",
}


def _maintained(request: HttpRequest, action: str = "offer.edit"):
    """The organisations in which the user may ``action``; 403 if there are none."""
    orgs = organisations_where(request.user, action)
    if not orgs.exists():
        raise PermissionDenied
    return orgs


@requires()
@require_safe
def manage_offers(request: HttpRequest) -> HttpResponse:
    orgs = _maintained(request)
    offers = (
        Offer.objects.filter(organisation__in=orgs)
        .select_related("organisation")
        .order_by("organisation__name", "sort_name")
    )
    outdated = set(selectors.outdated_offers(orgs).values_list("id", flat=True))
    return render(
        request,
        "directory/manage.html",
        {"organisations": orgs, "offers": offers, "outdated": outdated},
    )


def _own_offer(orgs, offer_id) -> Offer:
    """An offer of one of ``orgs``; any other answers 404 (deny by default)."""
    try:
        return Offer.objects.select_related("organisation").get(pk=offer_id, organisation__in=orgs)
    except Offer.DoesNotExist:
        raise Http404 from None


@requires()
@require_http_methods(["GET", "POST"])
def manage_offer_edit(request: HttpRequest, offer_id=None) -> HttpResponse:
    orgs = _maintained(request)
    offer = _own_offer(orgs, offer_id) if offer_id else None
    form = OfferEditForm(request.POST or None, instance=offer, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        saved = services.offer_edit(
            by=request.user,
            offer=offer,
            organisation=form.cleaned_data["organisation"],
            funding_round=form.cleaned_data["funding_round"],
            values=form.offer_input,
        )
        messages.success(request, _("Das Angebot wurde gespeichert."))
        return redirect("directory:manage-edit", offer_id=saved.pk)
    return render(request, "directory/manage_edit.html", {"form": form, "offer": offer})


@requires()
@require_POST
def manage_offer_action(request: HttpRequest, offer_id, action: str) -> HttpResponse:
    permission = OFFER_ACTIONS.get(action)
    if permission is None:
        raise Http404
    offer = _own_offer(_maintained(request), offer_id)
    if not organisations_where(request.user, permission).filter(pk=offer.organisation_id).exists():
        raise PermissionDenied
    if action == "publish":
        services.offer_publish(offer, by=request.user)
        messages.success(request, _("Das Angebot ist jetzt öffentlich."))
    elif action == "unpublish":
        services.offer_unpublish(offer, by=request.user)
        messages.success(request, _("Das Angebot ist jetzt ein Entwurf und nicht mehr öffentlich."))
    else:
        services.offer_verify(offer, by=request.user)
        messages.success(request, _("Danke: Das Angebot ist als geprüft markiert."))
    return redirect("directory:manage")
