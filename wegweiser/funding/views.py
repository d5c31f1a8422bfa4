"""Pages of the funding administration: the applicant's (its own organisation's applications),
the authority's (inbox, review, decision, payments, proof of use, budget per Kreis) and the
printable notice. Another organisation's application answers 404 like a missing one."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wegweiser.core.access import can, requires
from wegweiser.directory.maps import map_settings
from wegweiser.funding import forms, selectors, services
from wegweiser.funding.errors import FundingError
from wegweiser.funding.models import Application, Status


def _visible(request: HttpRequest, application_id) -> Application:
    try:
        return selectors.applications_visible(request.user, request.organisation).get(
            pk=application_id
        )
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None


def _own(request: HttpRequest, application_id) -> Application:
    try:
        return selectors.own_applications(request.user, request.organisation).get(pk=application_id)
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None


def _received(request: HttpRequest, application_id) -> Application:
    try:
        return selectors.inbox(request.user, request.organisation).get(pk=application_id)
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None


def _run(request: HttpRequest, form, call: Callable[[], object], done: str) -> bool:
    """Call the service with a valid form; its refusal becomes the form's error."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call()
    except FundingError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, done)
    return True


@requires()
def home(request: HttpRequest) -> HttpResponse:
    roles = request.roles
    if not (can(roles, "funding.apply") or can(roles, "funding.review")):
        raise PermissionDenied
    return render(
        request,
        "funding/home.html",
        {
            "own": selectors.own_applications(request.user, request.organisation),
            "inbox": selectors.inbox(request.user, request.organisation),
            "calls": selectors.calls_open(),
        },
    )


@requires("funding.apply")
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    form = forms.ApplicationForm(request.POST or None, calls=selectors.calls_open())
    created = []

    def create():
        from wegweiser.organisations.models import Region

        data = form.cleaned_data
        created.append(
            services.application_create(
                by=request.user,
                organisation=request.organisation,
                call=data["call"],
                title=data["title"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                regions=Region.objects.filter(ags__in=data["regions"]),
                total_eur=data["total_eur"],
                lines=form.lines(),
            )
        )

    if _run(request, form, create, _("Der Antrag ist als Entwurf gespeichert.")):
        return redirect("funding:application", application_id=created[0].pk)
    return render(request, "funding/application_form.html", {"form": form})


@requires()
def application(request: HttpRequest, application_id) -> HttpResponse:
    app = _visible(request, application_id)
    authority = app.call.authority_id == request.organisation.pk
    context = {"application": app, "authority": authority, "roles": request.roles}
    if authority:
        review = getattr(app, "review", None)
        initial = {f: getattr(review, f) for f in forms.ReviewForm.base_fields} if review else {}
        context["review_form"] = forms.ReviewForm(initial=initial)
        context["decision_form"] = forms.DecisionForm(initial={"amount_eur": app.total_eur})
        context["payment_form"] = forms.PaymentForm()
        context["check_form"] = forms.ProofCheckForm()
    return render(request, "funding/application.html", context)


@requires()
def notice(request: HttpRequest, application_id) -> HttpResponse:
    """The notice (Bescheid) of a decided application, as a printable page."""
    app = _visible(request, application_id)
    if not hasattr(app, "decision"):
        raise Http404
    return render(request, "funding/notice.html", {"application": app})


@requires("funding.apply")
@require_POST
def submit(request: HttpRequest, application_id) -> HttpResponse:
    app = _own(request, application_id)
    try:
        services.application_submit(app, by=request.user)
        messages.success(request, _("Der Antrag ist eingereicht."))
    except FundingError as error:
        messages.error(request, str(error))
    return redirect("funding:application", application_id=app.pk)


@requires("funding.proof_submit")
@require_http_methods(["GET", "POST"])
def proof(request: HttpRequest, application_id) -> HttpResponse:
    app = _own(request, application_id)
    if app.status != Status.APPROVED:
        raise Http404
    form = forms.ProofForm(request.POST or None, lines=app.budget_lines.all())

    def send():
        services.proof_submit(
            app,
            by=request.user,
            narrative=form.cleaned_data["narrative"],
            actuals=form.actuals(),
            receipts=form.cleaned_data["receipts"],
        )

    if _run(request, form, send, _("Der Verwendungsnachweis ist eingereicht.")):
        return redirect("funding:application", application_id=app.pk)
    return render(request, "funding/proof_form.html", {"form": form, "application": app})


# --- the authority -------------------------------------------------------------------------------


@requires("funding.review")
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funding/inbox.html",
        {"applications": selectors.inbox(request.user, request.organisation)},
    )


def _authority_post(request, application_id, form_class, call, done) -> HttpResponse:
    app = _received(request, application_id)
    form = form_class(request.POST)
    if not _run(request, form, lambda: call(app, form.cleaned_data), done):
        for error in form.errors.get("__all__", []):
            messages.error(request, error)
        for field, errs in form.errors.items():
            if field != "__all__":
                messages.error(request, f"{form.fields[field].label}: {' '.join(errs)}")
    return redirect("funding:application", application_id=app.pk)


@requires("funding.review")
@require_POST
def review_start(request: HttpRequest, application_id) -> HttpResponse:
    app = _received(request, application_id)
    try:
        services.review_start(app, by=request.user)
        messages.success(request, _("Die Prüfung hat begonnen."))
    except FundingError as error:
        messages.error(request, str(error))
    return redirect("funding:application", application_id=app.pk)


@requires("funding.review")
@require_POST
def review(request: HttpRequest, application_id) -> HttpResponse:
    return _authority_post(
        request,
        application_id,
        forms.ReviewForm,
        lambda app, data: services.review_record(app, by=request.user, **data),
        _("Die Prüfung ist gespeichert."),
    )


@requires("funding.decide")
@require_POST
def decide(request: HttpRequest, application_id) -> HttpResponse:
    def call(app, data):
        if data["outcome"] == "approve":
            services.approve(
                app, by=request.user, amount_eur=data["amount_eur"], conditions=data["conditions"]
            )
        else:
            services.reject(app, by=request.user, reason=data["reason"])

    return _authority_post(
        request, application_id, forms.DecisionForm, call, _("Die Entscheidung ist gespeichert.")
    )


@requires("funding.pay")
@require_POST
def pay(request: HttpRequest, application_id) -> HttpResponse:
    return _authority_post(
        request,
        application_id,
        forms.PaymentForm,
        lambda app, data: services.pay(app, by=request.user, **data),
        _("Die Auszahlung ist erfasst."),
    )


@requires("funding.proof_check")
@require_POST
def proof_check(request: HttpRequest, application_id) -> HttpResponse:
    def call(app, data):
        if data["outcome"] == "accept":
            services.proof_accept(app, by=request.user, note=data["note"])
        else:
            services.proof_return(app, by=request.user, note=data["note"])

    return _authority_post(
        request, application_id, forms.ProofCheckForm, call, _("Das Prüfergebnis ist gespeichert.")
    )


def _map_values(rows: list[dict]) -> dict[str, dict]:
    """Per Kreis (a Sonderstatusstadt in its Kreis): the planned amount (the colour) and a text
    of planned and paid per region and year."""
    values: dict[str, dict] = {}
    for r in rows:
        entry = values.setdefault(r["kreis"], {"value": 0.0, "texts": []})
        entry["value"] += float(r["planned"])
        entry["texts"].append(
            f"{r['label']} "
            + _("%(year)s: geplant %(planned)s €, ausgezahlt %(paid)s €")
            % {
                "year": r["year"],
                "planned": services.euro(r["planned"]),
                "paid": services.euro(r["paid"]),
            }
        )
    return {ags: {"value": v["value"], "text": "; ".join(v["texts"])} for ags, v in values.items()}


@requires("funding.budget")
def budget(request: HttpRequest) -> HttpResponse:
    rows = selectors.budget_by_kreis(request.user, request.organisation)
    years = sorted({r["year"] for r in rows})
    year = request.GET.get("jahr")
    year = int(year) if year and year.isdigit() and int(year) in years else None
    shown = [r for r in rows if year is None or r["year"] == year]
    values = _map_values(shown)
    return render(
        request,
        "funding/budget.html",
        {
            "rows": shown,
            "years": years,
            "year": year,
            "map": map_settings(),
            "map_values": values,
            "map_max": services.euro(max((v["value"] for v in values.values()), default=0)),
        },
    )
