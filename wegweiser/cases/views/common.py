"""What the case-management views share: the object of a URL through the scoped selectors
(404 for another organisation's object as for a missing one), the read log of a page, and the
one way a form or a button calls a service."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from wegweiser.cases import selectors
from wegweiser.cases.errors import CaseError
from wegweiser.cases.models import Case, Participant, Referral
from wegweiser.core.access import requires

# --- objects of the URL -------------------------------------------------------------------------


def organisation(request: HttpRequest):
    """The current organisation (``accounts.context``)."""
    return request.organisation


def participant_or_404(request: HttpRequest, participant_id) -> Participant:
    """A participant of the current organisation; 404 for any other. Not logged: a page showing
    her file logs the read with :func:`shown` when it renders."""
    try:
        return selectors.participants_for(request.user, organisation(request)).get(
            pk=participant_id
        )
    except Participant.DoesNotExist:
        raise Http404 from None


def case_or_404(request: HttpRequest, case_id) -> Case:
    """A case of the current organisation; 404 for any other (logged like
    :func:`participant_or_404`, with :func:`shown`)."""
    try:
        return selectors.cases_for(request.user, organisation(request)).get(pk=case_id)
    except Case.DoesNotExist:
        raise Http404 from None


def child_or_404(queryset, pk):
    """An object reached through an already scoped parent (``case.goals`` ...)."""
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def sent_referral_or_404(request: HttpRequest, referral_id) -> Referral:
    return child_or_404(
        selectors.referrals_outbox(request.user, organisation(request)), referral_id
    )


def received_referral_or_404(request: HttpRequest, referral_id) -> Referral:
    return child_or_404(
        selectors.referrals_received(request.user, organisation(request)), referral_id
    )


def shown(request: HttpRequest, obj: Participant | Case) -> None:
    """Log that the page being rendered shows ``obj`` (see docs/cases.md, "Reads")."""
    if isinstance(obj, Participant):
        selectors.participant_shown(request.user, organisation(request), obj)
    else:
        selectors.case_shown(request.user, organisation(request), obj)


# --- forms and buttons calling a service --------------------------------------------------------


def refused(form, error: CaseError) -> None:
    """Put the service's refusal on ``form`` (its summary); ``form.refusal`` keeps the error."""
    form.refusal = error
    form.add_error(None, str(error))


def refusal(form, kind: type[CaseError]) -> CaseError | None:
    """The refusal of a kind the page explains (an enrolment's reasons, missing facts)."""
    error = getattr(form, "refusal", None)
    return error if isinstance(error, kind) else None


def submit(request: HttpRequest, form, call: Callable[..., Any], done: str) -> Any:
    """On a POST with valid input, ``call(**form.cleaned_data)`` runs the service (the form's
    fields are its keyword arguments); ``done`` is the success message. Returns what the
    service returned (every service returns what it wrote), or ``None`` when nothing was done:
    a GET, invalid input, or a refusal (now on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(**form.cleaned_data)
    except CaseError as error:
        refused(form, error)
        return None
    messages.success(request, done)
    return result


def act(request: HttpRequest, call: Callable[[], Any], done: str) -> None:
    """A button without a form: run the service; its refusal or ``done`` as a message."""
    try:
        call()
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)


def form_status(form, request: HttpRequest) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def form_page(
    request: HttpRequest, template: str, form, about: Participant | Case | None, **context
) -> HttpResponse:
    """A page with ``form`` about ``about`` (its read logged): 400 after refused input."""
    if about is not None:
        shown(request, about)
    return render(request, template, {"form": form, **context}, status=form_status(form, request))


def case_form_page(request: HttpRequest, template: str, form, case: Case, **context):
    """A page of its own with ``form`` about ``case`` (and its person)."""
    return form_page(
        request, template, form, case, case=case, participant=case.participant, **context
    )


# --- POST views acting from an object's page ----------------------------------------------------


@dataclass(frozen=True)
class Page:
    """The page of an object that POST views act from.

    ``load(request, **url_kwargs)`` finds the object of the URL, ``render(request, obj,
    status=..., <prefix>_form=form)`` renders the page with a refused form in place of an empty
    one, ``back(obj)`` redirects to it after a change, and ``done`` holds what the user is told
    after each change (by the form's prefix, or the button's name)."""

    load: Callable[..., Any]
    back: Callable[[Any], HttpResponse]
    render: Callable[..., HttpResponse] | None = None
    done: Mapping[str, str] = field(default_factory=dict)

    def post(self, action: str, prefix: str, form, call: Callable):
        """A POST view with a form, for ``action``: ``form`` (a form class, bound with the
        prefix, or ``form(request, obj)``) validates, ``call(obj, by=user, **data)`` runs the
        service, then back to the page; refused or invalid, the page again with the form."""

        @requires(action)
        @require_POST
        def view(request: HttpRequest, **ids) -> HttpResponse:
            obj = self.load(request, **ids)
            if isinstance(form, type):
                bound = form(request.POST, prefix=prefix)
            else:
                bound = form(request, obj)
            if submit(request, bound, partial(call, obj, by=request.user), self.done[prefix]):
                return self.back(obj)
            return self.render(request, obj, status=400, **{f"{prefix}_form": bound})

        return view

    def button(self, action: str, name: str, call: Callable, child: tuple[str, str] = ("", "")):
        """A POST view without a form, for ``action``: ``call(obj, by=user)``, its refusal or
        ``done[name]`` as a message, then back. With ``child`` (a related name of the page's
        object and the URL's name of the id), the service acts on that child of the object."""
        related, child_id = child

        @requires(action)
        @require_POST
        def view(request: HttpRequest, **ids) -> HttpResponse:
            pk = ids.pop(child_id) if child_id else None
            obj = self.load(request, **ids)
            target = child_or_404(getattr(obj, related).all(), pk) if related else obj
            act(request, partial(call, target, by=request.user), self.done[name])
            return self.back(obj)

        return view
