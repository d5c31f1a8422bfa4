"""Case-management pages: thin views over ``cases.selectors`` (reads) and ``cases.services``.

Every view is wrapped in :func:`~wegweiser.core.access.requires`: a login, then the permissions
table for the roles of the current organisation, before anything else (403 without the role). A
page showing a person's data logs the read through the selectors (``participant_shown``,
``case_shown``; once per request), never itself. Objects are loaded only
through the organisation-scoped selectors, so another organisation's object answers 404 exactly
like a missing one. Every change is a POST calling one service; a refused operation
(:class:`~wegweiser.cases.errors.CaseError`) is shown on the form it came from and changes
nothing. The one public page is the single-use answer link for partners without an account.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wegweiser.accounts.permissions import can
from wegweiser.cases import display, forms, intake, selectors, services
from wegweiser.cases.errors import CaseError, EnrolmentRefused, MissingData
from wegweiser.cases.models import (
    CASE_TRANSITIONS,
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Consent,
    ConsentPurpose,
    FollowUp,
    Goal,
    Participant,
    Referral,
    ReferralStatus,
    Task,
)
from wegweiser.core.access import requires
from wegweiser.core.i18n import pick
from wegweiser.notifications import selectors as notices
from wegweiser.organisations.models import Organisation
from wegweiser.programmes.citations import rule_citations
from wegweiser.programmes.selectors import engine_catalogue

# --- access --------------------------------------------------------------------------------------


def _org(request: HttpRequest):
    return request.organisation


def _participant(request: HttpRequest, participant_id) -> Participant:
    """A participant of the current organisation; 404 for any other. Not logged: a page showing
    her file logs the read with ``selectors.participant_shown`` when it renders."""
    try:
        return selectors.participants_for(request.user, _org(request)).get(pk=participant_id)
    except Participant.DoesNotExist:
        raise Http404 from None


def _case(request: HttpRequest, case_id) -> Case:
    """A case of the current organisation; 404 for any other (logged like :func:`_participant`
    with ``selectors.case_shown``)."""
    try:
        return selectors.cases_for(request.user, _org(request)).get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404 from None


def _shown(request: HttpRequest, obj: Participant | Case) -> None:
    """Log that the page being rendered shows ``obj`` (see docs/cases.md, "Reads")."""
    if isinstance(obj, Participant):
        selectors.participant_shown(request.user, _org(request), obj)
    else:
        selectors.case_shown(request.user, _org(request), obj)


def _child(queryset, pk):
    """An object reached through an already scoped parent (``case.goals`` ...)."""
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def _sent_referral(request: HttpRequest, referral_id) -> Referral:
    return _child(selectors.referrals_outbox(request.user, _org(request)), referral_id)


def _received_referral(request: HttpRequest, referral_id) -> Referral:
    return _child(selectors.referrals_received(request.user, _org(request)), referral_id)


def _refused(form, error: CaseError) -> None:
    form.add_error(None, str(error))


# --- start page and organisation ------------------------------------------------------------------


@requires("cases.start")
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """What the user's role in the current organisation needs first."""
    user, org, roles = request.user, _org(request), request.roles
    context: dict = {"organisation": org, "roles": roles}
    if can(roles, "case.view"):
        query = request.GET.get("q", "").strip()[:100]
        people = selectors.people_search(user, org, query)
        context.update(
            casework=True,
            query=query,
            people=people.order_by("family_name", "given_name")[:50],
            my_cases=selectors.my_cases(user, org).order_by("participant__family_name"),
            unassigned=selectors.unassigned_cases(user, org)[:50],
            due_today=selectors.followups_due_today(user, org),
            overdue=selectors.followups_overdue(user, org),
        )
    if can(roles, "referral.receive"):
        context["inbox"] = [
            r
            for r in selectors.referrals_inbox(user, org)
            if r.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
        ]
    if can(roles, "referral.send"):
        context["outbox"] = selectors.referrals_outbox(user, org).exclude(
            status__in=(ReferralStatus.WITHDRAWN,)
        )[:20]
    if can(roles, "reports.aggregate"):
        counts = selectors.case_counts(user, org)
        context["counts"] = [(CaseStatus(k).label, v) for k, v in counts.items()]
    context["audit"] = can(roles, "audit.view")
    context["administration"] = can(roles, "accounts.view")
    context["notices"] = notices.start_counts(user, org)
    return render(request, "cases/start.html", context)


@requires("audit.view")
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    rows = selectors.audit_rows(request.user, _org(request), limit=200)
    return render(request, "cases/audit_log.html", {"entries": rows})


# --- participants ---------------------------------------------------------------------------------


@requires("participant.create")
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest) -> HttpResponse:
    form = forms.ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.participant_create(
                by=request.user, organisation=_org(request), **form.service_fields()
            )
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die Person wurde angelegt."))
            return redirect("cases:participant", participant_id=person.pk)
    return render(
        request, "cases/participant_form.html", {"form": form}, status=_status(form, request)
    )


def _status(form, request) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@requires("participant.edit")
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    form = forms.ParticipantForm(
        request.POST or None, initial=forms.ParticipantForm.initial_for(person), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                person,
                by=request.user,
                version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect("cases:participant", participant_id=person.pk)
    _shown(request, person)
    return render(
        request,
        "cases/participant_form.html",
        {"form": form, "participant": person},
        status=_status(form, request),
    )


def _recipients(org) -> list[tuple]:
    return list(Organisation.objects.exclude(pk=org.pk).order_by("name").values_list("pk", "name"))


def _households(request, person) -> list[tuple]:
    members = (
        selectors.participants_for(request.user, _org(request))
        .filter(household__isnull=False)
        .order_by("household_id", "family_name")
    )
    names: dict = {}
    for m in members:
        names.setdefault(m.household_id, []).append(str(m))
    return [(pk, _("Haushalt von %(names)s") % {"names": ", ".join(n)}) for pk, n in names.items()]


def _render_participant(request, person, *, status=200, **bound) -> HttpResponse:
    org = _org(request)
    _shown(request, person)
    forms_ = {
        "residence_form": forms.ResidenceStatusForm(prefix="residence"),
        "consent_form": forms.ConsentForm(
            prefix="consent",
            recipients=_recipients(org),
            initial={"given_on": timezone.localdate()},
        ),
        "household_form": forms.HouseholdForm(
            prefix="household",
            households=_households(request, person),
            initial={"version": person.version, "relation": person.household_relation},
        ),
        "open_form": forms.VersionForm(prefix="open", initial={"version": person.version}),
    }
    forms_.update(bound)
    household = []
    if person.household_id:
        household = (
            selectors.participants_for(request.user, org)
            .filter(household_id=person.household_id)
            .exclude(pk=person.pk)
        )
    context = {
        "participant": person,
        "residence_statuses": person.residence_statuses.select_related("recorded_by"),
        "current_residence": selectors.residence_status_on(person, timezone.localdate()),
        "consents": person.consents.select_related("recipient"),
        "cases": person.cases.filter(organisation=org).select_related(
            "project", "funding_round", "counsellor"
        ),
        "household_members": household,
        "can_erase": can(request.roles, "participant.erase"),
        "title_labels": forms.RESIDENCE_TITLE_LABELS,
        "shared_labels": forms.SHARED_FIELD_LABELS,
        "contact_requests": person.contact_requests.select_related("offer"),
        **forms_,
    }
    return render(request, "cases/participant.html", context, status=status)


@requires("participant.view")
@require_safe
def participant_detail(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    return _render_participant(request, person)


@requires("participant.edit")
@require_POST
def residence_add(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    form = forms.ResidenceStatusForm(request.POST, prefix="residence")
    if form.is_valid():
        try:
            services.residence_status_record(person, by=request.user, **form.cleaned_data)
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Der Aufenthaltsstatus wurde eingetragen."))
            return redirect("cases:participant", participant_id=person.pk)
    return _render_participant(request, person, status=400, residence_form=form)


@requires("participant.edit")
@require_POST
def household_link(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    form = forms.HouseholdForm(
        request.POST, prefix="household", households=_households(request, person)
    )
    if form.is_valid():
        household = None
        if form.cleaned_data["household"]:
            member = (
                selectors.participants_for(request.user, _org(request))
                .filter(household_id=form.cleaned_data["household"])
                .select_related("household")
                .first()
            )
            if member is None:
                raise Http404
            household = member.household
        try:
            services.household_link(
                person,
                by=request.user,
                relation=form.cleaned_data["relation"],
                household=household,
                version=form.cleaned_data["version"],
            )
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Der Haushalt wurde gespeichert."))
            return redirect("cases:participant", participant_id=person.pk)
    return _render_participant(request, person, status=400, household_form=form)


@requires("consent.record")
@require_POST
def consent_add(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    org = _org(request)
    form = forms.ConsentForm(request.POST, prefix="consent", recipients=_recipients(org))
    if form.is_valid():
        data = form.cleaned_data
        recipient = None
        if data["recipient"]:
            recipient = Organisation.objects.filter(pk=data["recipient"]).first()
        try:
            services.consent_record(
                person,
                by=request.user,
                purpose=data["purpose"],
                given_on=data["given_on"],
                text_version=data["text_version"],
                channel=data["channel"],
                recipient=recipient,
                shared_fields=data["shared_fields"],
            )
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die Einwilligung wurde erfasst."))
            return redirect("cases:participant", participant_id=person.pk)
    return _render_participant(request, person, status=400, consent_form=form)


@requires("consent.withdraw")
@require_POST
def consent_withdraw(request: HttpRequest, participant_id, consent_id) -> HttpResponse:
    person = _participant(request, participant_id)
    consent: Consent = _child(person.consents.all(), consent_id)
    try:
        services.consent_withdraw(consent, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die Einwilligung ist widerrufen."))
    return redirect("cases:participant", participant_id=person.pk)


@requires("case.create")
@require_POST
def case_open(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    try:
        case = services.case_open(person, by=request.user)
    except CaseError as error:
        form = forms.VersionForm(prefix="open", initial={"version": person.version})
        _refused(form, error)
        return _render_participant(request, person, status=400, open_form=form)
    messages.success(request, _("Der Fall wurde eröffnet (Erstkontakt)."))
    return redirect("cases:case", case_id=case.pk)


@requires("participant.export")
@require_safe
def participant_export_json(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    document = services.participant_export(person, by=request.user)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{person.pseudonym}.json"'
    return response


@requires("participant.export")
@require_safe
def participant_export_html(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    services.participant_export(person, by=request.user)  # checks the role, logs the export
    return render(
        request,
        "cases/export.html",
        {"participant": person, "display": display.participant_display(person)},
    )


@requires("participant.erase")
@require_http_methods(["GET", "POST"])
def participant_erase(request: HttpRequest, participant_id) -> HttpResponse:
    person = _participant(request, participant_id)
    if request.method == "POST":
        try:
            outcome = services.participant_erase(person, by=request.user)
        except CaseError as error:
            messages.error(request, str(error))
            return redirect("cases:participant", participant_id=person.pk)
        if outcome == "anonymised":
            messages.success(
                request,
                _(
                    "Die Person wurde anonymisiert: Die ESF-Plus-Daten müssen noch aufbewahrt "
                    "werden, alle anderen Angaben sind gelöscht."
                ),
            )
        else:
            messages.success(request, _("Die Person und alle Angaben zu ihr wurden gelöscht."))
        return redirect("cases:start")
    _shown(request, person)
    return render(request, "cases/erase.html", {"participant": person})


# --- cases ----------------------------------------------------------------------------------------


def _snapshots(case) -> list:
    """The eligibility checks of ``case``, each with its round's name (not its key) and its
    reasons as stored (German or English), with the rules' public sources as titled links."""
    catalogue = engine_catalogue()
    rules = {rule.id: rule for rnd in catalogue.rounds for rule in rnd.rules}
    titles = {(r.programme.key, r.key): display.round_title(r) for r in selectors.funding_rounds()}
    lang = "en" if (get_language() or "de").startswith("en") else "de"
    snapshots = list(case.eligibility_snapshots.select_related("overridden_by"))
    for s in snapshots:
        s.round_title = titles.get((s.programme_key, s.round_key), s.round_key)
        s.reason_rows = [
            {
                "text": reason["text"],
                "citations": rule_citations([rules[reason["rule"]]], catalogue)
                if reason.get("rule") in rules
                else [],
            }
            for reason in s.reasons.get(lang) or s.reasons.get("de") or []
        ]
    return snapshots


def _render_case(request, case, *, status=200, **bound) -> HttpResponse:
    today = timezone.localdate()
    _shown(request, case)
    version = {"version": case.version}
    forms_ = {
        "assign_form": forms.VersionForm(prefix="assign", initial=version),
        "clearing_form": forms.VersionForm(prefix="clearing", initial=version),
        "followup_form": forms.FollowUpStartForm(prefix="followup", initial=version),
        "close_form": forms.CloseForm(prefix="close", initial={**version, "exit_date": today}),
        "dropout_form": forms.DropOutForm(prefix="dropout", initial=version),
        "goal_form": forms.GoalForm(prefix="goal"),
        "contact_form": forms.ContactForm(prefix="contact", initial={"date": today}),
        "task_form": forms.TaskForm(prefix="task"),
    }
    forms_.update(bound)
    participant = case.participant
    referrals = []
    for referral in case.referrals.select_related("offer", "receiving_organisation"):
        consent_ok = True
        if referral.status == ReferralStatus.DRAFT:
            consent_ok = selectors.has_consent(
                participant,
                ConsentPurpose.REFERRAL_SHARING,
                recipient=referral.receiving_organisation,
            )
        referrals.append(
            {"referral": referral, "offer": pick(referral.offer.name), "consent": consent_ok}
        )
    allowed = CASE_TRANSITIONS[case.status]
    context = {
        "case": case,
        "participant": participant,
        **_origin(case, today),
        "snapshots": _snapshots(case),
        "esf_entry": getattr(case, "esf_entry", None),
        "goals": case.goals.all(),
        "contacts": case.contacts.select_related("author"),
        "tasks": case.tasks.select_related("assignee"),
        "referrals": referrals,
        "followups": case.followups.all(),
        "today": today,
        "can_assign": case.counsellor_id != request.user.pk and case.status in OPEN_STATUSES,
        "can_clearing": CaseStatus.CLEARING in allowed,
        "can_enrol": CaseStatus.ACTIVE in allowed,
        "can_followup": CaseStatus.FOLLOWUP in allowed,
        "can_close": CaseStatus.CLOSED in allowed,
        "can_dropout": CaseStatus.DROPPED_OUT in allowed,
        "goal_statuses": Goal.Status.choices,
        **forms_,
    }
    return render(request, "cases/case.html", context, status=status)


def _origin(case: Case, today) -> dict:
    """Where the case came from (a self-check contact request or a received referral)."""
    return {
        **selectors.case_origin(case),
        "current_residence": selectors.residence_status_on(case.participant, today),
        "title_labels": forms.RESIDENCE_TITLE_LABELS,
    }


@requires("case.view")
@require_safe
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    return _render_case(request, _case(request, case_id))


def _case_form_view(action: str, prefix: str, form_class, call: Callable, done: str):
    """A POST view on a case for ``action``: validate the form, call the service, or re-render
    the case page with the error (a transition, a plan entry, taking over the case)."""

    @requires(action)
    @require_POST
    def view(request: HttpRequest, case_id) -> HttpResponse:
        case = _case(request, case_id)
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                call(case, request.user, form.cleaned_data)
            except CaseError as error:
                _refused(form, error)
            else:
                messages.success(request, done)
                return redirect("cases:case", case_id=case.pk)
        return _render_case(request, case, status=400, **{f"{prefix}_form": form})

    return view


def _transition_view(prefix: str, form_class, call: Callable, done: str):
    return _case_form_view("case.transition", prefix, form_class, call, done)


#: The user takes over responsibility for the case (e.g. a new self-check contact).
case_assign = _case_form_view(
    "case.edit",
    "assign",
    forms.VersionForm,
    lambda case, by, d: services.case_assign(case, by=by, counsellor=by, version=d["version"]),
    gettext_lazy("Sie sind jetzt für diesen Fall zuständig."),
)


case_clearing = _transition_view(
    "clearing",
    forms.VersionForm,
    lambda case, by, d: services.case_start_clearing(case, by=by, version=d["version"]),
    gettext_lazy("Der Fall ist jetzt im Clearing."),
)
case_followup = _transition_view(
    "followup",
    forms.FollowUpStartForm,
    lambda case, by, d: services.case_start_followup(
        case, by=by, start_date=d["start_date"], situation=d["situation"], version=d["version"]
    ),
    gettext_lazy("Die Nachbetreuung hat begonnen; die Termine sind geplant."),
)
case_close = _transition_view(
    "close",
    forms.CloseForm,
    lambda case, by, d: services.case_close(
        case, by=by, exit_date=d["exit_date"], version=d["version"]
    ),
    gettext_lazy("Der Fall ist abgeschlossen."),
)
case_drop_out = _transition_view(
    "dropout",
    forms.DropOutForm,
    lambda case, by, d: services.case_drop_out(
        case,
        by=by,
        reason=d["reason"],
        note=d["note"],
        exit_date=d["exit_date"],
        version=d["version"],
    ),
    gettext_lazy("Der Abbruch ist eingetragen."),
)


def _enrol_form(request, case, data=None):
    org = _org(request)
    projects = []
    for p in selectors.enrolment_projects(org):
        rnd = p.funding_round
        projects.append((p.pk, f"{p.name} – {pick(rnd.programme.name)}, {pick(rnd.name)}"))
    rounds = [
        (r.key, f"{pick(r.programme.name)} – {pick(r.name)}") for r in selectors.funding_rounds()
    ]
    return forms.EnrolForm(
        data,
        projects=projects,
        rounds=rounds,
        can_override=can(request.roles, "case.override_eligibility"),
        initial={"version": case.version, "entry_date": timezone.localdate()},
    )


@requires("case.enrol")
@require_http_methods(["GET", "POST"])
def case_enrol(request: HttpRequest, case_id) -> HttpResponse:
    case = _case(request, case_id)
    form = _enrol_form(request, case, request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = selectors.enrolment_projects(_org(request)).filter(pk=data["project"]).first()
        if project is None:
            raise Http404
        try:
            services.enrol(
                case,
                project,
                project.funding_round,
                request.user,
                data.get("override_reason") or None,
                entry_date=data["entry_date"],
                facts=form.facts(),
                version=data["version"],
            )
        except EnrolmentRefused as error:
            refusal = error
            _refused(form, error)
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die Person ist aufgenommen."))
            return redirect("cases:case", case_id=case.pk)
    _shown(request, case)
    return render(
        request,
        "cases/enrol.html",
        {"case": case, "participant": case.participant, "form": form, "refusal": refusal},
        status=_status(form, request),
    )


@requires("case.edit")
@require_http_methods(["GET", "POST"])
def esf_entry(request: HttpRequest, case_id) -> HttpResponse:
    case = _case(request, case_id)
    existing = getattr(case, "esf_entry", None)
    initial = (
        forms.EsfEntryForm.initial_for(existing)
        if existing
        else {"collected_on": case.entry_date or timezone.localdate(), "version": 0}
    )
    form = forms.EsfEntryForm(request.POST or None, initial=initial)
    missing = []
    if request.method == "POST" and form.is_valid():
        try:
            services.esf_entry_save(
                case,
                by=request.user,
                collected_on=form.cleaned_data["collected_on"],
                version=form.cleaned_data["version"],
                **form.answers(),
            )
        except MissingData as error:
            _refused(form, error)
            missing = _missing_links(case, form, error)
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die ESF-Plus-Eintrittsdaten sind gespeichert."))
            return redirect("cases:case", case_id=case.pk)
    _shown(request, case)
    return render(
        request,
        "cases/esf_entry.html",
        {"case": case, "participant": case.participant, "form": form, "missing": missing},
        status=_status(form, request),
    )


def _missing_links(case: Case, form, error: MissingData) -> list[dict]:
    """Each missing answer or fact with a link to its field: on this form, or on the person's
    edit form (the field's id as the anchor)."""
    edit = reverse("cases:participant-edit", kwargs={"participant_id": case.participant_id})
    person_form = forms.ParticipantForm()
    links = []
    for name, where in error.missing:
        if where == "participant":
            label, url = person_form[name].label, f"{edit}#{person_form[name].auto_id}"
        else:
            label, url = form[name].label, f"#{form[name].auto_id}"
        links.append({"label": label, "url": url, "in_record": where == "participant"})
    return links


def _plan_view(prefix: str, form_class, call: Callable, done: str):
    return _case_form_view("case.edit", prefix, form_class, call, done)


goal_add = _plan_view(
    "goal",
    forms.GoalForm,
    lambda case, by, d: services.goal_create(case, by=by, **d),
    gettext_lazy("Das Ziel wurde angelegt."),
)
contact_add = _plan_view(
    "contact",
    forms.ContactForm,
    lambda case, by, d: services.contact_create(case, by=by, **d),
    gettext_lazy("Der Kontakt wurde eingetragen."),
)
task_add = _plan_view(
    "task",
    forms.TaskForm,
    lambda case, by, d: services.task_create(case, by=by, assignee=by, **d),
    gettext_lazy("Die Aufgabe wurde angelegt."),
)


@requires("case.edit")
@require_POST
def goal_status(request: HttpRequest, case_id, goal_id) -> HttpResponse:
    case = _case(request, case_id)
    goal: Goal = _child(case.goals.all(), goal_id)
    form = forms.GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen Status."))
    else:
        try:
            services.goal_set_status(goal, by=request.user, status=form.cleaned_data["status"])
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Der Status des Ziels wurde geändert."))
    return redirect("cases:case", case_id=case.pk)


@requires("case.edit")
@require_POST
def task_done(request: HttpRequest, case_id, task_id) -> HttpResponse:
    case = _case(request, case_id)
    task: Task = _child(case.tasks.all(), task_id)
    try:
        services.task_done(task, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die Aufgabe ist erledigt."))
    return redirect("cases:case", case_id=case.pk)


@requires("followup.record")
@require_http_methods(["GET", "POST"])
def followup_record(request: HttpRequest, case_id, followup_id) -> HttpResponse:
    case = _case(request, case_id)
    followup: FollowUp = _child(case.followups.all(), followup_id)
    form = forms.FollowUpRecordForm(request.POST or None, esf_long_term=followup.is_esf_long_term)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.followup_record(
                followup,
                by=request.user,
                still_in_work_or_training=data["still_in_work_or_training"],
                dropout_risk=data["dropout_risk"],
                note=data["note"],
                long_term_result=data.get("long_term_result", ""),
            )
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Der Nachbetreuungstermin ist erfasst."))
            return redirect("cases:case", case_id=case.pk)
    _shown(request, case)
    return render(
        request,
        "cases/followup.html",
        {"case": case, "participant": case.participant, "followup": followup, "form": form},
        status=_status(form, request),
    )


# --- referrals: sending organisation --------------------------------------------------------------


@requires("referral.send")
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id) -> HttpResponse:
    case = _case(request, case_id)
    org = _org(request)
    search = forms.OfferSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        query = request.POST.get("q", "")[:100]
    offers = list(selectors.referral_offers(org, query))
    if request.method == "POST":
        chosen_offer = None
        try:
            chosen = uuid.UUID(request.POST.get("offer", ""))
        except ValueError:
            chosen = None
        if chosen is not None:
            chosen_offer = selectors.referral_offers(org, limit=None).filter(pk=chosen).first()
        if chosen_offer is not None and chosen_offer not in offers:
            offers.insert(0, chosen_offer)
    choices = [(o.pk, f"{pick(o.name)} – {o.organisation.name}") for o in offers]
    form = forms.ReferralForm(request.POST or None, offers=choices)
    if request.method == "POST" and form.is_valid():
        offer = next(o for o in offers if str(o.pk) == form.cleaned_data["offer"])
        try:
            services.referral_create(
                case, by=request.user, offer=offer, message=form.cleaned_data["message"]
            )
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Die Überweisung ist als Entwurf angelegt. Senden Sie sie auf der Fallseite."),
            )
            return redirect("cases:case", case_id=case.pk)
    _shown(request, case)
    return render(
        request,
        "cases/referral_new.html",
        {
            "case": case,
            "participant": case.participant,
            "search": search if search.is_bound else forms.OfferSearchForm(),
            "query": query,
            "form": form,
        },
        status=_status(form, request),
    )


@requires("referral.send")
@require_POST
def referral_send(request: HttpRequest, referral_id) -> HttpResponse:
    referral = _sent_referral(request, referral_id)
    try:
        services.referral_send(referral, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die Überweisung wurde gesendet."))
    return redirect("cases:case", case_id=referral.case_id)


@requires("referral.send")
@require_POST
def referral_withdraw(request: HttpRequest, referral_id) -> HttpResponse:
    referral = _sent_referral(request, referral_id)
    try:
        services.referral_withdraw(referral, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Die Überweisung wurde zurückgezogen."))
    return redirect("cases:case", case_id=referral.case_id)


@requires("referral.send")
@require_POST
@never_cache
def referral_link(request: HttpRequest, referral_id) -> HttpResponse:
    """Create an answer link; the token is shown once on this page and never stored."""
    referral = _sent_referral(request, referral_id)
    try:
        link, token = services.referral_link_create(referral, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("cases:case", case_id=referral.case_id)
    path = reverse("cases:link-answer", kwargs={"token": token})
    # the configured public address, not the Host header of this request (behind a proxy the
    # request may name an internal host); without the setting, the request's own address
    url = f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)
    return render(
        request, "cases/referral_link.html", {"referral": referral, "link": link, "url": url}
    )


# --- referrals: receiving organisation ------------------------------------------------------------


@requires("referral.receive")
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/inbox.html",
        {"referrals": selectors.referrals_inbox(request.user, _org(request))},
    )


def _render_received(request, referral_id, *, status=200, **bound) -> HttpResponse:
    try:
        view = selectors.referral_inbox_get(request.user, _org(request), referral_id)
    except Referral.DoesNotExist:
        raise Http404 from None
    context = {
        "referral": view,
        "refuse_form": forms.RefuseForm(prefix="refuse"),
        "complete_form": forms.CompleteForm(prefix="complete"),
        "labels": forms.SHARED_FIELD_LABELS,
        "title_labels": forms.RESIDENCE_TITLE_LABELS,
        "can_open_case": can(request.roles, "case.create"),
        **bound,
    }
    return render(request, "cases/received.html", context, status=status)


@requires("referral.receive")
@require_safe
def received_detail(request: HttpRequest, referral_id) -> HttpResponse:
    return _render_received(request, referral_id)


@requires("referral.receive")
@require_POST
def received_accept(request: HttpRequest, referral_id) -> HttpResponse:
    referral = _received_referral(request, referral_id)
    try:
        services.referral_accept(referral, by=request.user)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sie haben die Überweisung angenommen."))
    return redirect("cases:received", referral_id=referral.pk)


@requires("referral.receive")
@require_POST
def received_open_case(request: HttpRequest, referral_id) -> HttpResponse:
    """Accept (if still open) and open a case with the consented fields, in one step."""
    referral = _received_referral(request, referral_id)
    try:
        case = intake.referral_case_open(referral, by=request.user, accept=True)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("cases:received", referral_id=referral.pk)
    messages.success(
        request,
        _(
            "Der Fall ist eröffnet, mit den Angaben, die die Einwilligung umfasst. "
            "Sie sind zuständig."
        ),
    )
    return redirect("cases:case", case_id=case.pk)


@requires("referral.receive")
@require_POST
def received_refuse(request: HttpRequest, referral_id) -> HttpResponse:
    referral = _received_referral(request, referral_id)
    form = forms.RefuseForm(request.POST, prefix="refuse")
    if form.is_valid():
        try:
            services.referral_refuse(referral, by=request.user, **form.cleaned_data)
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Sie haben die Überweisung abgelehnt."))
            return redirect("cases:received", referral_id=referral.pk)
    return _render_received(request, referral.pk, status=400, refuse_form=form)


@requires("referral.receive")
@require_POST
def received_complete(request: HttpRequest, referral_id) -> HttpResponse:
    referral = _received_referral(request, referral_id)
    form = forms.CompleteForm(request.POST, prefix="complete")
    if form.is_valid():
        try:
            services.referral_complete(referral, by=request.user, **form.cleaned_data)
        except CaseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Die Überweisung ist abgeschlossen."))
            return redirect("cases:received", referral_id=referral.pk)
    return _render_received(request, referral.pk, status=400, complete_form=form)


# --- the public answer link -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def link_answer(request: HttpRequest, token: str) -> HttpResponse:
    """A partner without an account answers a referral (single use, 8 days). No login."""
    form = forms.LinkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_answer_by_link(
                token,
                accept=data["decision"] == "accept",
                reason=data["reason"],
                note=data["note"],
            )
        except CaseError as error:
            _refused(form, error)
        else:
            return render(
                request, "cases/link_done.html", {"accepted": data["decision"] == "accept"}
            )
    try:
        view = services.referral_link_view(token)
    except CaseError as error:
        return render(request, "cases/link_invalid.html", {"message": str(error)}, status=404)
    return render(
        request,
        "cases/link_answer.html",
        {
            "referral": view,
            "form": form,
            "labels": forms.SHARED_FIELD_LABELS,
            "title_labels": forms.RESIDENCE_TITLE_LABELS,
        },
        status=_status(form, request),
    )
