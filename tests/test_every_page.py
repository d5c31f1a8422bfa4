"""Every page of the URLconf, as every role, in every language, over demo data in every state.

The URLconf is walked, not listed: a new URL is rendered here without anyone adding it, and a URL
whose parameters this module cannot fill fails :func:`test_every_url_is_walked` until
``KWARGS`` learns them. The data are `make run`'s demo (catalogue, regions, synthetic directory,
the demo cases in every state: nobody responsible yet, assigned, in clearing, enrolled, referred,
in follow-up, closed, dropped out, anonymised; referrals sent, accepted, refused) plus one user
per role, built once for the module inside a transaction that is rolled back at the end.

Each page must answer without a server error, without template syntax in the HTML (``{%``,
``{{``, ``{#``: a broken comment or tag shows as text), in the language of the URL, and error
pages (4xx) in the site's layout instead of Django's bare English ones; no UUID in the text a
person reads. Every POST endpoint gets an empty form (a bad input) too, each in a savepoint of its
own, so that one page's side effects never reach another.
"""

from __future__ import annotations

import html
import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db  # the database is set up for this module; the data: `world`

LANGS = [code for code, _name in settings.LANGUAGES]
#: A UUID, also cut short ("0eb4a2e3-bca…"), or a hash such as a catalogue version.
INTERNAL_ID_RE = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{1,4}|\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{10,}\b", re.I
)
#: What Django's own error pages say (English, unstyled); none of them may reach a person.
DJANGO_DEFAULTS = (
    "<h1>Not Found</h1>",
    "<h1>Bad Request (400)</h1>",
    "<h1>403 Forbidden</h1>",
    "<h1>Server Error (500)</h1>",
    "CSRF verification failed",
)


# --- the URLconf ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]  # the URL parameters, sorted
    methods: frozenset[str] | None  # None: not restricted by a decorator we can see
    i18n: bool  # under the language prefix


def _walk(patterns, namespace: str = "", i18n: bool = False) -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the Django admin: test_admin_pages
            ns = ":".join(filter(None, [namespace, p.namespace]))
            prefixed = i18n or type(p.pattern).__name__ == "LocalePrefixPattern"
            yield from _walk(p.url_patterns, ns, prefixed)
        elif isinstance(p, URLPattern) and p.name:
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield Route(name, tuple(sorted(p.pattern.converters)), None, i18n)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)
#: Pages of the JSON API: answers are JSON, not pages (checked for status only).
API_PREFIX = "api-v1:"


# --- the world: demo data in every state and one user per role ----------------------------------


@dataclass
class World:
    users: dict[str, object]  # label -> user (None: anonymous)
    kwargs: dict[tuple[str, ...], list[dict]]


def _reset_link(user) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _build_world() -> World:
    from wegweiser.accounts import services as account_services
    from wegweiser.accounts.models import Membership, Role
    from wegweiser.accounts.tokens import invitation_token_generator
    from wegweiser.cases import demo as cases_demo
    from wegweiser.cases import services as case_services
    from wegweiser.cases.models import (
        Case,
        CaseStatus,
        Consent,
        FollowUp,
        Goal,
        Participant,
        Referral,
        Task,
    )
    from wegweiser.directory import demo
    from wegweiser.directory.models import Offer
    from wegweiser.funding import demo as funding_demo
    from wegweiser.funding.models import Application
    from wegweiser.organisations import services
    from wegweiser.organisations.models import Organisation
    from wegweiser.programmes.models import Programme, Project
    from wegweiser.public import demo as public_demo
    from wegweiser.public.questions import QUESTIONS
    from wegweiser.reporting import demo as reporting_demo

    call_command("load_catalogue", verbosity=0)
    services.regions_sync()
    demo.generate()
    found = cases_demo.setup()
    assert found is not None, "the demo directory has no WIR network with a partner"
    public_demo.contact_request(found.organisation)  # nobody has taken it over yet
    from wegweiser.volunteers import demo as volunteers_demo
    from wegweiser.volunteers import services as volunteer_services
    from wegweiser.volunteers.models import Booking, BookingStatus, Pool, Tandem, Volunteer

    volunteers = volunteers_demo.setup()
    assert volunteers is not None and volunteers.created
    booking_states = set(Booking.objects.values_list("status", flat=True))
    assert booking_states == set(BookingStatus.values), (
        f"the demo lacks bookings in {set(BookingStatus.values) - booking_states}"
    )
    assert {"requested", "active", "ended"} <= set(Tandem.objects.values_list("status", flat=True))
    funding = funding_demo.setup()
    assert funding is not None, "the demo directory has no Kreis offices to apply for funding"
    reporting_demo.setup()  # participations with exit questionnaires for the reports
    from wegweiser.funding import demo_network

    assert demo_network.setup() is not None  # the Verbund with referral counts to show
    org, partner = found.organisation, found.partner
    cases = Case.objects.filter(organisation=org)
    states = set(cases.values_list("status", flat=True))
    assert states == set(CaseStatus.values), (
        f"the demo lacks cases in {set(CaseStatus.values) - states}"
    )
    assert cases.filter(counsellor__isnull=True, participant__anonymised_at__isnull=True).exists()
    assert cases.filter(participant__anonymised_at__isnull=False).exists()
    assert {"sent", "accepted", "refused"} <= set(Referral.objects.values_list("status", flat=True))
    User = get_user_model()
    users: dict[str, object] = {"anonymous": None}
    for role in Role:
        user = User.objects.create_user(f"every-{role.value}", password="x")
        Membership.objects.create(user=user, organisation=org, role=role)
        users[role.value] = user
    users["partner counsellor"] = User.objects.get(username="demo-partner")
    users["no organisation"] = User.objects.create_user("every-nobody", password="x")
    users["funding applicant"] = User.objects.get(username="demo-antrag")
    users["funding authority"] = User.objects.get(username="demo-rp")

    counsellor = User.objects.get(username="demo-beratung")
    invited = account_services.member_invite(
        by=users["platform_admin"],
        organisation=org,
        email="eingeladen@example.org",
        roles=[Role.COUNSELLOR],
        language="de",
        base_url="http://testserver",
    )
    invitation = {
        "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
        "token": invitation_token_generator.make_token(invited),
    }
    link_referral = Referral.objects.filter(status="sent").first()
    _link, token = case_services.referral_link_create(link_referral, by=counsellor)
    draft = Offer.objects.create(
        organisation=org, name={"de": "Angebotsentwurf (Demo)"}, status=Offer.DRAFT
    )
    offers = [
        draft,
        Offer.objects.filter(organisation=org, status=Offer.PUBLISHED).first(),
        found.partner_offer,
        Offer.objects.exclude(organisation__in=[org, partner]).filter(status="published").first(),
    ]
    offered = Booking.objects.filter(status=BookingStatus.OFFERED).first()
    _offered, answer_token = volunteer_services.booking_offer(
        offered, by=User.objects.get(username="demo-ehrenamt")
    )
    missing = uuid.uuid4()
    kwargs: dict[tuple[str, ...], list[dict]] = {
        ("participant_id",): [
            {"participant_id": p} for p in Participant.objects.values_list("pk", flat=True)
        ],
        ("case_id",): [{"case_id": c} for c in Case.objects.values_list("pk", flat=True)],
        ("referral_id",): [
            {"referral_id": r} for r in Referral.objects.values_list("pk", flat=True)
        ],
        ("offer_id",): [{"offer_id": o.pk} for o in offers if o is not None],
        ("org_id",): [
            {"org_id": o}
            for o in (
                org.pk,
                partner.pk,
                Organisation.objects.exclude(pk__in=[org.pk, partner.pk]).first().pk,
            )
        ],
        ("project_id",): [
            {"project_id": p}
            for p in Project.objects.filter(carrier=org).values_list("pk", flat=True)
        ]
        # a project of the funding authority's decisions (its network for the authority)
        + [
            {"project_id": p}
            for p in Project.objects.filter(funding_applications__isnull=False)
            .values_list("pk", flat=True)
            .distinct()[:1]
        ],
        ("key",): [{"key": k} for k in Programme.objects.values_list("key", flat=True)],
        # every state of the funding workflow (the demo has one application in each)
        ("application_id",): [
            {"application_id": a} for a in Application.objects.values_list("pk", flat=True)
        ],
        ("slug",): [{"slug": q.slug} for q in QUESTIONS.values()],
        ("token",): [{"token": token}, {"token": "not-a-token"}],
        ("consent_id", "participant_id"): [
            {"participant_id": p, "consent_id": c}
            for c, p in Consent.objects.values_list("pk", "participant_id")
        ],
        ("case_id", "goal_id"): [
            {"case_id": c, "goal_id": g} for g, c in Goal.objects.values_list("pk", "case_id")
        ],
        ("case_id", "task_id"): [
            {"case_id": c, "task_id": t} for t, c in Task.objects.values_list("pk", "case_id")
        ],
        ("case_id", "followup_id"): [
            {"case_id": c, "followup_id": f}
            for f, c in FollowUp.objects.values_list("pk", "case_id")
        ],
        ("action", "offer_id"): [
            {"offer_id": o.pk, "action": a}
            for o, a in itertools.product(
                [o for o in offers[:3] if o], ("publish", "unpublish", "verify", "unknown")
            )
        ],
        ("token", "uidb64"): [
            _reset_link(counsellor),
            invitation,
            {"uidb64": "MQ", "token": "set-password"},
        ],
        ("organisation_id",): [{"organisation_id": o} for o in (org.pk, partner.pk)],
        ("volunteer_id",): [
            {"volunteer_id": v}
            for v in Volunteer.objects.order_by("pool__organisation_id", "pk")[:2].values_list(
                "pk", flat=True
            )
        ]
        + [{"volunteer_id": Volunteer.objects.exclude(pool__organisation=org).first().pk}],
        ("booking_id",): [{"booking_id": b} for b in Booking.objects.values_list("pk", flat=True)],
        ("tandem_id",): [{"tandem_id": t} for t in Tandem.objects.values_list("pk", flat=True)],
        ("pool_id",): [{"pool_id": p} for p in Pool.objects.values_list("pk", flat=True)],
        ("answer_token",): [{"answer_token": answer_token}, {"answer_token": "not-a-token"}],
        ("organisation_id", "user_id"): [
            {"organisation_id": m.organisation_id, "user_id": m.user_id}
            for m in Membership.objects.filter(organisation__in=[org, partner])
        ]
        + [{"organisation_id": org.pk, "user_id": users["partner counsellor"].pk}],
    }
    # an id that exists nowhere: every detail page answers 404, in our layout
    for key, values in kwargs.items():
        if len(key) == 1 and key[0].endswith("_id"):
            values.append({key[0]: missing})
    for key, values in kwargs.items():
        assert values, f"the demo has no objects for {key}"
    return World(users=users, kwargs=kwargs)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# --- checks --------------------------------------------------------------------------------------


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def problems(response, route: Route | None = None, lang: str = "de") -> list[str]:
    """What is wrong with a page; ``route`` None for a page of the site in ``lang``."""
    status = response.status_code
    found = []
    if status >= 500:
        return [f"HTTP {status}"]
    if route is not None and route.name.startswith(API_PREFIX):
        return found  # JSON answers; their contract is tested in tests/*/test_api.py
    if route is not None and not route.i18n:
        lang = None
    content_type = response.get("Content-Type", "")
    if "text/html" not in content_type or getattr(response, "streaming", False):
        return found
    page = response.content.decode()
    if status in (301, 302, 303, 307, 308):
        return found
    for token in ("{%", "{{", "{#", "%}", "#}"):
        if token in page:
            at = page.index(token)
            found.append(f"template syntax {token!r}: …{page[max(0, at - 60) : at + 60]!r}…")
    if status >= 400:
        if "wegweiser/site.css" not in page and "public/public.css" not in page:
            found.append(f"HTTP {status} without the site's layout: {page[:120]!r}")
        found += [f"Django's default error text {d!r}" for d in DJANGO_DEFAULTS if d in page]
    if lang is not None:
        declared = re.search(r'<html[^>]*\blang="([^"]+)"', page)
        if declared is None or declared.group(1) != lang:
            found.append(f"<html lang> is {declared and declared.group(1)!r}, not {lang!r}")
    title = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    if title is None or "<" in title.group(1) or not title.group(1).strip():
        # a form pasted into the title block put its markup and CSRF token into the tab's name
        found.append(f"the page's <title> is not a plain name: {title and title.group(1)[:80]!r}")
    ids = INTERNAL_ID_RE.findall(visible_text(page))
    if ids:
        found.append(f"internal ids in the visible text: {ids[:3]}")
    return found


def _client(world: World, who: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return client


def _urls(route: Route, world: World, lang: str) -> list[str]:
    with translation.override(lang):
        return [reverse(route.name, kwargs=kw) for kw in world.kwargs.get(route.kwargs, [{}])]


def _isolated(call):
    """One request in a savepoint of its own, rolled back: no side effect reaches another."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


# --- tests ---------------------------------------------------------------------------------------


def test_every_url_is_walked(world):
    """Every URL's parameters can be filled from the demo; so every URL is rendered below."""
    unknown = [r.name for r in ROUTES if r.kwargs and r.kwargs not in world.kwargs]
    assert not unknown, (
        f"URLs whose parameters this test cannot fill (add them to kwargs): {unknown}"
    )
    assert len(ROUTES) > 60


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_page_renders_for_every_role(world, route):
    """GET as every role (and anonymous, a partner, a user without organisation), in German."""
    failures = []
    for who in world.users:
        client = _client(world, who)
        for url in _urls(route, world, "de"):
            response = _isolated(lambda url=url, client=client: client.get(url))
            failures += [f"{who} GET {url}: {p}" for p in problems(response, route)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.i18n], ids=lambda r: r.name)
def test_page_renders_in_every_language(world, route):
    """GET in all six languages, anonymous and as the counsellor who owns the demo cases."""
    failures = []
    for who, lang in itertools.product(("anonymous", "counsellor"), LANGS[1:]):
        client = _client(world, who)
        for url in _urls(route, world, lang):
            response = _isolated(lambda url=url, client=client: client.get(url))
            failures += [f"{who} GET {url}: {p}" for p in problems(response, route, lang)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_empty_post_is_refused_cleanly(world, route):
    """An empty form (bad input) to every URL: an error page or the form again, never a 5xx."""
    failures = []
    for who in (
        "counsellor",
        "team_lead",
        "partner counsellor",
        "funding applicant",
        "funding authority",
        "anonymous",
    ):
        client = _client(world, who)
        for url in _urls(route, world, "de"):
            response = _isolated(lambda url=url, client=client: client.post(url, {}))
            failures += [f"{who} POST {url}: {p}" for p in problems(response, route)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("lang", LANGS)
def test_error_pages_speak_the_language_of_the_url(world, lang):
    """404, 403, 405 and a failed CSRF check in the site's layout and the page's language."""
    anonymous, counsellor = _client(world, "anonymous"), _client(world, "counsellor")
    with translation.override(lang):
        start, audit = reverse("cases:start"), reverse("cases:audit-log")
        clear = reverse("public:clear")
    checks = [
        (anonymous.get(f"/{lang}/gibt-es-nicht/"), 404),
        (counsellor.get(audit), 403),  # a counsellor does not read the audit log
        (counsellor.get(clear), 405),  # POST only
    ]
    strict = Client(enforce_csrf_checks=True)  # a form sent without its token
    with translation.override(lang):
        checks.append((strict.post(reverse("login"), {"username": "x"}), 403))
    checks.append((counsellor.get(start), 200))
    for response, status in checks:
        assert response.status_code == status
        assert problems(response, lang=lang) == []
        if status >= 400:
            assert response.templates, "an error page of our own templates"


def test_server_error_page_is_ours(world):
    """500: a static page in the site's layout (no database, no request context needed)."""
    from django.template.loader import render_to_string

    for lang in LANGS:
        with translation.override(lang):
            page = render_to_string("500.html")
        assert "wegweiser/site.css" in page
        assert f'lang="{lang}"' in page
        assert "{%" not in page and "{{" not in page


def test_admin_pages(world):
    """The Django admin (platform operators): every registered model's list, add and one change
    page as a superuser."""
    user = get_user_model().objects.create_superuser("every-superuser", password="x")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    failures = []
    urls = [reverse("admin:index")]
    for model, _model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
    for url in urls:
        response = _isolated(lambda url=url: client.get(url))
        if response.status_code >= 500:
            failures.append(f"GET {url}: HTTP {response.status_code}")
    assert not failures, "\n".join(failures)


#: The pages anyone may open; every other page sends an anonymous visitor to the login
#: (``LoginRequiredMiddleware``; public views are marked, ``core.access.public``).
PUBLIC = {
    "set_language",
    "language-home",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accounts:invitation",
    "cases:link-answer",
    "volunteers:answer",
    "directory:search",
    "directory:offer",
    "directory:organisation",
    "directory:project",
    "funding:coverage",
    "funding:coverage-csv",
}
PUBLIC_APPS = ("api-v1:", "public:", "programmes:")


def _is_public(route: Route) -> bool:
    return route.name in PUBLIC or route.name.startswith(PUBLIC_APPS)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_reach_exactly_the_public_pages(world, route):
    """Login is the default: a page is open only if it is declared public here and marked so."""
    client = _client(world, "anonymous")
    login = reverse("login")
    for url in _urls(route, world, "de"):
        response = _isolated(lambda url=url: client.get(url))
        to_login = response.status_code == 302 and response["Location"].startswith(login)
        assert to_login != _is_public(route), f"{url}: {response.status_code}"
