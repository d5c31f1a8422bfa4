"""The public self-check: questions, result, contact request, and the information pages.

No view writes to the database except ``contact`` (one transaction). Answers live in the session
(``state.py``); every form is POST-redirect-GET and works without JavaScript.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wegweiser.accounts import recipients
from wegweiser.core import geo
from wegweiser.core.i18n import language, pick
from wegweiser.core.templatetags.wegweiser import text_attrs
from wegweiser.directory import maps
from wegweiser.directory import selectors as directory
from wegweiser.directory.models import Offer
from wegweiser.eligibility.engine import (
    ELIGIBLE,
    NOT_ELIGIBLE,
    any_question_left,
    evaluate,
    next_question,
)
from wegweiser.eligibility.facts import TITLES_WITH_SECTION, ProfileError, parse_profile
from wegweiser.eligibility.questioning import pages_left
from wegweiser.programmes.citations import rule_citations
from wegweiser.programmes.i18n import reason_text
from wegweiser.programmes.selectors import engine_catalogue
from wegweiser.public import limits, result_page, services
from wegweiser.public import nearest as offers
from wegweiser.public.derived import IMPLIES, known_from_directory
from wegweiser.public.forms import AnswerForm, ContactForm, PostcodeForm
from wegweiser.public.questions import BY_SLUG, QUESTIONS, answer_label, profile_data
from wegweiser.public.state import answers_session, clear_state, get_state, save_state


def _profile(state: dict):
    """The engine's profile: the answers and what the directory knows for them."""
    day = timezone.localdate()
    data = profile_data(state["answers"]) | known_from_directory(
        state["answers"], state.get("postcode"), day
    )
    try:
        return parse_profile(data, reference_date=day)
    except ProfileError:
        # Only reachable if the rules of validation changed since the answer was given.
        state["answers"] = {}
        return parse_profile({}, reference_date=timezone.localdate())


def _pages_left(state: dict) -> int:
    """At most this many question pages are left (the progress line)."""
    day = timezone.localdate()
    return pages_left(engine_catalogue(), _profile(state), day, exclude=state["unknown"])


def _next_key(state: dict) -> str | None:
    question = next_question(
        engine_catalogue(),
        _profile(state),
        timezone.localdate(),
        exclude=state["unknown"],
        implies=IMPLIES,
    )
    return question.key if question else None


def _place(plz: str | None) -> str:
    """A postcode as the person reads it: with its place (``64291 Darmstadt``)."""
    found = geo.postcode(plz) if plz else None
    return f"{found.plz} {found.place}" if found else (plz or "")


def _summary(state: dict) -> list[dict]:
    """The answers in plain words; ``german``: the answer is German written left to right (a
    paragraph "§ 25 Abs. 2 AufenthG", a place "64291 Darmstadt"), isolated on every page."""
    rows = []
    for key, question in QUESTIONS.items():
        german = False
        if key in state["answers"]:
            value = state["answers"][key]
            label = _place(state.get("postcode")) if key == "kreis" else answer_label(key, value)
            german = key == "kreis" or question.kind == "section"
        elif key in state["unknown"]:
            label = _("Ich weiß es nicht")
        else:
            continue
        rows.append({"question": question, "answer": label, "german": german})
    return rows


# --- questions -----------------------------------------------------------------------------------


#: Seconds the start page of a visitor without answers is kept rendered (per language).
START_PAGE_CACHE_SECONDS = 300


@answers_session
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    # The entry page of everybody who has not started is the same per language: render it once
    # (measured: template rendering was ~3/4 of its cost under load, see bench/public_load.py).
    fresh = not request.COOKIES.get(settings.SESSION_COOKIE_NAME) and not request.GET
    if fresh and not request.user.is_authenticated:
        key = f"public:start:{language()}"
        body = cache.get(key)
        if body is None:
            body = _render_start(request, get_state(request)).content
            cache.set(key, body, START_PAGE_CACHE_SECONDS)
        return HttpResponse(body)
    return _render_start(request, get_state(request))


def _render_start(request: HttpRequest, state: dict) -> HttpResponse:
    return render(
        request,
        "public/start.html",
        {
            "started": bool(state["answers"] or state["unknown"]),
            "token": state.get("token", ""),
            "expired": request.GET.get("sitzung") == "abgelaufen",
            "cleared": "geloescht" in request.GET,
        },
    )


def _go_next(state: dict) -> HttpResponse:
    key = _next_key(state)
    if key is None:
        return redirect("public:result")
    return redirect("public:question", slug=QUESTIONS[key].slug)


@answers_session
@require_safe
def next_step(request: HttpRequest) -> HttpResponse:
    return _go_next(get_state(request, create=True))


_CONFLICT_PARTNERS = ("residence", "citizenships", "work_ban", "residence.section")


@answers_session
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    q = BY_SLUG.get(slug)
    if q is None:
        raise Http404
    state = get_state(request, create=True)
    answers = state["answers"]
    title = answers.get("residence")
    if q.key == "residence.section" and title not in TITLES_WITH_SECTION:
        return redirect("public:next")
    conflict = None
    if request.method == "POST" and "dont_know" in request.POST:
        answers.pop(q.key, None)
        if q.key == "residence":
            answers.pop("residence.section", None)
            _forget_unknown(state, "residence.section")  # no title: no paragraph to ask
        if q.key == "kreis":
            state["postcode"] = ""
        if q.key not in state["unknown"]:
            state["unknown"].append(q.key)
        save_state(request, state)
        return _go_next(state)
    if request.method == "POST":
        form = AnswerForm(
            q,
            request.POST,
            residence_title=title,
            residence_section=answers.get("residence.section"),
        )
        if form.is_valid():
            tentative = dict(answers)
            tentative[q.key] = form.value()
            if q.key == "residence":
                tentative.pop("residence.section", None)
                if form.section_value():
                    tentative["residence.section"] = form.section_value()
            try:
                parse_profile(profile_data(tentative), reference_date=timezone.localdate())
            except ProfileError:
                replaced = {q.key, "residence.section"} if q.key == "residence" else {q.key}
                other = next(
                    (k for k in _CONFLICT_PARTNERS if k not in replaced and k in answers), None
                )
                conflict = QUESTIONS[other] if other else None
                form.add_error(
                    "answer",
                    _(
                        "Diese Antwort passt nicht zu einer Ihrer früheren Antworten. "
                        "Bitte prüfen Sie beide."
                    ),
                )
            else:
                state["answers"] = tentative
                if q.key == "kreis":
                    state["postcode"] = form.cleaned_data["answer"]
                _forget_unknown(state, q.key)
                if q.key == "residence":
                    _forget_unknown(state, "residence.section")
                    if tentative["residence"] in TITLES_WITH_SECTION and not form.section_value():
                        # "weiß ich nicht" on the same page: not asked again on a page of its own
                        state["unknown"].append("residence.section")
                save_state(request, state)
                return _go_next(state)
    else:
        initial = {}
        if q.key in answers:
            value = answers[q.key]
            if q.kind == "country":
                initial = {"answer": value[0], "answer2": value[1] if len(value) > 1 else ""}
            elif q.kind == "postcode":
                initial = {"answer": state.get("postcode", "")}
            elif q.kind == "date":
                y, m, d = value.split("-")
                initial = {"answer": f"{d}.{m}.{y}"}
            elif q.kind == "residence":
                initial = {"answer": value, "section": answers.get("residence.section", "")}
            else:
                initial = {"answer": value}
        form = AnswerForm(q, initial=initial, residence_title=title)
    given = q.key in answers or q.key in state["unknown"]
    context = {
        "q": q,
        "form": form,
        "token": state["token"],
        "number": _pages_answered(state) + (0 if given else 1),
        "most": _pages_answered(state) + _pages_left(state),
        "conflict": conflict,
        "summary": _summary(state),
    }
    shared = q.key != "residence.section"  # its list depends on the document given
    if request.method == "GET" and shared and not given and not request.user.is_authenticated:
        return _shared_question_page(request, context)
    return render(request, "public/question.html", context, status=400 if form.errors else 200)


#: Seconds a question page as every visitor at that step sees it is kept rendered.
QUESTION_PAGE_CACHE_SECONDS = 300
#: Stands for the visitor's form token in a kept question page; replaced on every response.
_VISITOR_SLOT = "@@token@@"


def _shared_question_page(request: HttpRequest, context: dict) -> HttpResponse:
    """A question not answered yet looks the same for every visitor at the same step, except
    for the form token: render it once per language, question, step number and whether there
    are answers to review; put the visitor's token in per response. Measured: rendering was ~3/4
    of a question page's cost under load (bench/public_load.py).
    """
    q, number, review = context["q"], context["number"], bool(context["summary"])
    key = f"public:question:{language()}:{q.slug}:{number}:{context['most']}:{review}"
    body = cache.get(key)
    if body is None:
        page = render(request, "public/question.html", {**context, "token": _VISITOR_SLOT})
        body = page.content.decode()
        cache.set(key, body, QUESTION_PAGE_CACHE_SECONDS)
    return HttpResponse(body.replace(_VISITOR_SLOT, context["token"]))


def _forget_unknown(state: dict, key: str) -> None:
    if key in state["unknown"]:
        state["unknown"].remove(key)


def _pages_answered(state: dict) -> int:
    """Questions answered so far, counted as pages: title and paragraph share one."""
    keys = set(state["answers"]) | set(state["unknown"])
    if "residence" in keys:
        keys.discard("residence.section")
    return len(keys)


@answers_session
@require_safe
def answers(request: HttpRequest) -> HttpResponse:
    state = get_state(request, create=True)
    return render(
        request,
        "public/answers.html",
        {"summary": _summary(state), "token": state["token"], "done": _next_key(state) is None},
    )


@answers_session
@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    clear_state(request)
    return redirect(reverse("public:start") + "?geloescht=1")


# --- result --------------------------------------------------------------------------------------


def _round_rows(results, lang: str) -> dict[str, list[dict]]:
    """The rounds by outcome, each with what the person reads: programme and round by name,
    the reasons that concern her (``RoundResult.reasons_for_person``: for a round that does not
    fit, the first failing rule only), their public sources, and the questions that would
    decide an open round."""
    catalogue = engine_catalogue()
    groups: dict[str, list[dict]] = {"fit": [], "no": [], "open": []}
    for r in results:
        programme = catalogue.programme(r.round.programme)
        shown = r.reasons_for_person
        missing = [QUESTIONS[k] for k in r.missing if k in QUESTIONS]
        row = {
            "key": r.round.key,
            "programme_key": programme.id,
            "programme": pick(programme.name, lang),
            "programme_attrs": text_attrs(programme.name),
            "round": pick(r.round.name, lang),
            "summary": pick(programme.summary, lang),
            "reasons": [reason_text(rule, lang, r.facts, outcome) for rule, outcome in shown],
            "sources": rule_citations((rule for rule, _ in shown), catalogue),
            "missing": missing,
            "decide": missing[0] if missing else None,
        }
        group = "fit" if r.status == ELIGIBLE else "no" if r.status == NOT_ELIGIBLE else "open"
        groups[group].append(row)
    return groups


def _fitting_programmes(rows: list[dict]) -> list[dict]:
    """The fitting rounds grouped by programme (a person reads "WIR fits", with its rounds)."""
    programmes: dict[str, dict] = {}
    for row in rows:
        entry = programmes.setdefault(
            row["programme_key"],
            {
                "key": row["programme_key"],
                "name": row["programme"],
                "attrs": row["programme_attrs"],
                "rounds": [],
                "offer": None,
            },
        )
        entry["rounds"].append(row["round"])
    return list(programmes.values())


@answers_session
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest) -> HttpResponse:
    """What fits, what is still open and what would decide it, and one nearest offer per
    fitting programme come first (the first screen of a phone); the reasons with their sources,
    the programmes that do not fit, the nearest offers with the map and the answers follow
    (``docs/public.md``, "The result page")."""
    state = get_state(request, create=True)
    if request.method == "POST":
        form = PostcodeForm(request.POST)
        if form.is_valid():
            state["postcode"] = form.cleaned_data["postcode"]
            if "kreis" not in state["answers"]:
                state["answers"]["kreis"] = form.found.kreis_ags
                if "kreis" in state["unknown"]:
                    state["unknown"].remove("kreis")
            save_state(request, state)
            return redirect(reverse("public:result") + "#angebote")
    else:
        form = PostcodeForm(initial={"postcode": state.get("postcode", "")})
    # One evaluation per request: the groups, the offers' filter and whether questions are left
    # all come from it (docs/public.md, "Speed").
    profile = _profile(state)
    lang = language()
    day = timezone.localdate()
    catalogue = engine_catalogue()
    results = evaluate(catalogue, profile, day)
    groups = _round_rows(results, lang)
    fitting = _fitting_programmes(groups["fit"])
    nearest = None
    place = None
    plz = state.get("postcode") if not form.errors else ""
    if plz:
        point = geo.postcode(plz)
        if point is not None:
            place = point
            eligible = directory.round_ids(r.round.key for r in results if r.status == ELIGIBLE)
            nearest = offers.nearest(point, eligible)
            offers.one_offer_each(fitting, nearest, point, eligible)
            offers.mark_receiving(
                [h.offer for h in nearest.hits]
                + [e["offer"].offer for e in fitting if e.get("offer") is not None]
            )
    context = {
        "groups": groups,
        "fitting": fitting,
        "form": form,
        "nearest": nearest,
        "points": offers.points(nearest, place),
        "map": maps.map_settings(),
        "place": place,
        "place_label": format_html("<bdi>{} {}</bdi>", place.plz, place.place) if place else "",
        "radius": offers.NEAREST_RADIUS_KM,
        "token": state["token"],
        "more_questions": any_question_left(
            catalogue, profile, day, exclude=state["unknown"], results=results
        ),
        "summary": _summary(state),
    }
    context["content"] = result_page.content_html(context)
    return render(request, "public/result.html", context, status=400 if form.errors else 200)


# --- contact -------------------------------------------------------------------------------------


def _published_offer(offer_id) -> Offer:
    try:
        return directory.offer_get(offer_id)
    except (Offer.DoesNotExist, ValueError):
        raise Http404 from None


#: The answers a person may send along with a contact request (``services.shared_answers``).
_SHAREABLE = (
    "birth_date",
    "gender",
    "citizenships",
    "kreis",
    "residence",
    "residence.section",
    "work_ban",
)


def _shareable(state: dict) -> list[dict]:
    return [
        row
        for row in _summary(state)
        if row["question"].key in _SHAREABLE and (row["question"].key in state["answers"])
    ]


@answers_session
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, offer_id) -> HttpResponse:
    offer = _published_offer(offer_id)
    if not recipients.receives_requests(offer.organisation):
        return _not_reachable(request, offer)
    state = get_state(request, create=True)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shared = {}
        if form.cleaned_data["share_answers"]:
            shared = services.shared_answers(profile_data(state["answers"]))
        try:
            contact_request = services.contact_request_create(
                offer=offer,
                name=form.cleaned_data["name"].strip(),
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                language=language(),
                shared=shared,
                client=limits.client_key(request),
            )
        except services.LimitReached as refused:
            return _limited(request, offer, state, refused.exceeded)
        except services.NotReachable:
            return _not_reachable(request, offer)
        except services.ContactRefused:
            # only the answers sent along can still be refused here (the form checked the rest),
            # e.g. answers given before a rule of validation changed
            form.add_error(
                "share_answers",
                _(
                    "Ihre Antworten aus dem Selbstcheck passen so nicht zusammen. Bitte prüfen "
                    "Sie sie oder senden Sie die Anfrage ohne sie."
                ),
            )
        else:
            return _sent(request, offer, contact_request)
    return render(
        request,
        "public/contact.html",
        {
            "offer": offer,
            "form": form,
            "token": state["token"],
            "shareable": _shareable(state),
        },
        status=400 if form.errors else 200,
    )


def _sent(request: HttpRequest, offer: Offer, contact_request) -> HttpResponse:
    request.session["public_sent"] = {
        "reference": contact_request.reference,
        "offer": str(offer.pk),
        "again": not contact_request.created_now,
    }
    request.session.modified = True
    return redirect("public:sent")


def _not_reachable(request: HttpRequest, offer: Offer) -> HttpResponse:
    """The organisation cannot answer on the platform: how to reach the offer directly."""
    return render(request, "public/not_reachable.html", {"offer": offer}, status=404)


def _limited(request: HttpRequest, offer: Offer, state: dict, exceeded) -> HttpResponse:
    """Too many requests: say so in the visitor's language, and how to reach the offer now."""
    response = render(
        request,
        "public/limited.html",
        {
            "offer": offer,
            "token": state["token"],
            "minutes": max(1, -(-exceeded.retry_after // 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(exceeded.retry_after)
    return response


@answers_session
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    info = request.session.get("public_sent")
    if not info:
        return redirect("public:start")
    offer = Offer.objects.select_related("organisation").filter(pk=info["offer"]).first()
    state = get_state(request)
    return render(
        request,
        "public/sent.html",
        {
            "reference": info["reference"],
            "again": info.get("again", False),
            "offer": offer,
            "token": state.get("token", ""),
        },
    )
