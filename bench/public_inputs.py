"""Varied inputs of the public-page load benchmark (``bench/public_load.py``): so that caching
one URL is worth nothing, the search targets cycle through at least 200 distinct seeded searches
(text, postcode, radius, filters), the offer page through the published offers in the six
languages, and the result page through the answers of 50 distinct visitors.

The visitors answer the self-check over HTTP like a browser without JavaScript (``Visitor``):
each is a seeded synthetic person (``personas``), and the signed session cookie they end up with
is what the load generator sends. The inputs go to a tab-separated file (path, cookie) that the
wrk script (``public_report.lua``) walks through in turn, one line per request.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SEED = 20261202
N_SEARCHES = 200
N_VISITORS = 50

# What people type, Hessian postcodes, the radius choices, the filters of the search form.
TEXTS = [
    "Anerkennung",
    "Deutsch lernen",
    "Beratung Arbeit",
    "Lotsen",
    "Jugend",
    "Ausbildung",
    "Sprachkurs",
    "Bewerbung",
    "Frauen",
    "Integrationskurs",
]
POSTCODES = [
    "60311",  # Frankfurt am Main
    "65185",  # Wiesbaden
    "34117",  # Kassel
    "64283",  # Darmstadt
    "35390",  # Gießen
    "36037",  # Fulda
    "63065",  # Offenbach
    "35037",  # Marburg
    "63450",  # Hanau
    "65549",  # Limburg
    "61169",  # Friedberg
    "64646",  # Heppenheim
    "34497",  # Korbach
    "36251",  # Bad Hersfeld
    "35578",  # Wetzlar
    "61348",  # Bad Homburg
]
RADII = ["10", "15", "20", "25", "30", "50"]
THEMES = ["recognition", "employment", "german-language", "counselling", "youth", "mentoring"]
LANGUAGES = ["en", "ar", "uk", "ru", "fa", "tr"]
MODES = ["in_person", "online", "phone"]
SITE_LANGUAGES = ["de", "en", "ar", "uk", "fa", "tr"]
#: Kreise and Sonderstatusstädte of the region filter (AGS keys of Hessen).
REGIONS = ["06412", "06411", "06414", "06413", "06611", "06435", "06531", "06433", "06440"]


def _filters(rng: random.Random, k: int) -> list[tuple[str, str]]:
    params = []
    for kind in rng.sample(["theme", "language", "mode", "free"], k):
        if kind == "free":
            params.append(("free", "on"))
        else:
            pool = {"theme": THEMES, "language": LANGUAGES, "mode": MODES}[kind]
            params.append((kind, rng.choice(pool)))
    return params


def _distinct(make, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 (benchmark input, not secrets)
    seen: dict[str, None] = {}
    for _ in range(50 * n):
        seen.setdefault(make(rng), None)
        if len(seen) == n:
            return list(seen)
    raise SystemExit(f"only {len(seen)} distinct inputs, {n} needed")


def search_query_paths(n: int = N_SEARCHES) -> list[str]:
    """Text + postcode + radius, with zero to two filters (the search form's parameters)."""

    def make(rng: random.Random) -> str:
        params = [
            ("q", rng.choice(TEXTS)),
            ("postcode", rng.choice(POSTCODES)),
            ("radius", rng.choice(RADII)),
            *_filters(rng, rng.choice([0, 1, 1, 2])),
        ]
        return "/de/angebote/?" + urllib.parse.urlencode(params)

    return _distinct(make, n, SEED)


def search_paths(n: int = N_SEARCHES) -> list[str]:
    """The search page without a text: the first page, pages further on, filters, a region, a
    postcode with radius; the plain list (``/de/angebote/``) is one of them."""

    def make(rng: random.Random) -> str:
        params = _filters(rng, rng.choice([0, 1, 1, 2]))
        where = rng.choice(["", "", "region", "postcode"])
        if where == "region":
            params.append(("region", rng.choice(REGIONS)))
        elif where == "postcode":
            params += [("postcode", rng.choice(POSTCODES)), ("radius", rng.choice(RADII))]
        if not params or rng.random() < 0.2:
            params.append(("page", str(rng.randint(1, 8))))
        return "/de/angebote/?" + urllib.parse.urlencode(params)

    return ["/de/angebote/", *_distinct(make, n, SEED + 1)[: n - 1]]


def offer_paths(offer_ids: list[str], n: int = N_SEARCHES) -> list[str]:
    """Published offers' pages, each in the six languages, in a seeded order."""
    paths = [f"/{lang}/angebote/{oid}/" for oid in sorted(offer_ids) for lang in SITE_LANGUAGES]
    random.Random(SEED + 2).shuffle(paths)  # noqa: S311
    if len(set(paths)) < n:
        raise SystemExit(f"only {len(set(paths))} offer pages, {n} needed")
    return paths


# --- visitors of the self-check ------------------------------------------------------------------

_SECTIONS = {
    "aufenthaltserlaubnis": ["25(2)", "24", "25(1)", "25(3)", "104c", "16a", "18g", ""],
    "duldung": ["60a", "60c", ""],
}
_TITLES = [
    "aufenthaltserlaubnis",
    "aufenthaltserlaubnis",
    "aufenthaltserlaubnis",
    "aufenthaltsgestattung",
    "duldung",
    "niederlassungserlaubnis",
    "free_movement",
    "german_citizen",
    "blaue_karte",
]
_THIRD_COUNTRIES = ["SY", "UA", "AF", "IQ", "ER", "TR", "IR", "SO", "NG"]


def personas(n: int = N_VISITORS, seed: int = SEED) -> list[dict[str, dict[str, str]]]:
    """``n`` distinct synthetic visitors: question slug -> form data (missing: "I don't know").

    Their answers fit together (a German citizen is German, EU free movement has an EU
    citizenship); about one answer in ten is "I don't know", the postcode always given."""
    rng = random.Random(seed)  # noqa: S311 (benchmark input, not secrets)
    found: dict[str, dict[str, dict[str, str]]] = {}
    while len(found) < n:
        title = rng.choice(_TITLES)
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(48 * 365))
        country = {"german_citizen": "DE", "free_movement": rng.choice(["RO", "PL", "BG"])}.get(
            title, rng.choice(_THIRD_COUNTRIES)
        )
        ban = "none"
        if title in ("duldung", "aufenthaltsgestattung"):
            ban = rng.choice(["none", "temporary"])
        p = {
            "geburtsdatum": {"answer": born.strftime("%d.%m.%Y")},
            "geschlecht": {"answer": rng.choice(["female", "male", "male", "diverse"])},
            "aufenthalt": {
                "answer": title,
                "section": rng.choice(_SECTIONS.get(title, [""])),
            },
            "staatsangehoerigkeit": {"answer": country},
            "arbeitsverbot": {"answer": ban},
            "jobcenter": {"answer": rng.choice(["supported", "not_reached", "refuses"])},
            "postleitzahl": {"answer": rng.choice(POSTCODES)},
            "deutsch": {"answer": rng.choice(["none", "A1", "A2", "B1", "B2", "C1"])},
        }
        for slug in (
            "migrationsgeschichte",
            "abschluss",
            "integrationskurs",
            "kinderbetreuung",
            "projekt-vor-ort",
        ):
            p[slug] = {"answer": rng.choice(["yes", "no"])}
        p["paragraf"] = {"answer": p["aufenthalt"]["section"]}
        for slug in list(p):
            if slug != "postleitzahl" and rng.random() < 0.1:
                del p[slug]
        found.setdefault(repr(sorted((k, sorted(v.items())) for k, v in p.items())), p)
    return list(found.values())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


class Visitor:
    """A browser without JavaScript: keeps its cookies, follows no redirect by itself."""

    def __init__(self, base: str, address: str = "10.0.0.1") -> None:
        self.base = base
        self.address = address  # as a reverse proxy reports it (one trusted proxy)
        self.cookies: dict[str, str] = {}

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one GET (or POST with ``data``)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        req.add_header("X-Forwarded-For", self.address)
        if self.cookies:
            req.add_header("Cookie", self.cookie_header)
        try:
            resp = OPENER.open(req, timeout=30)
        except urllib.error.HTTPError as err:
            resp = err
        with resp:
            for header in resp.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if "expires=Thu, 01 Jan 1970" in header or not value.strip('"'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            location = urllib.parse.urlsplit(resp.headers.get("Location") or "").path
            return resp.status, location, resp.read().decode("utf-8", "replace")


def answer_questions(
    base: str, persona: dict[str, dict[str, str]], address: str = "10.0.0.1"
) -> dict[str, tuple[str, str]]:
    """Answer the self-check as ``persona`` over HTTP: paths and cookies of its pages.

    ``question``: the page of the question after the first answer (one answer in the cookie);
    ``result``: the result page after the last question, with the postcode and nearest offers.
    An answer the page refuses (it does not fit an earlier one) becomes "I don't know".
    """
    visitor = Visitor(base, address)
    status, location, _ = visitor.request("/de/selbstcheck/weiter/")
    found: dict[str, tuple[str, str]] = {}
    for step in range(30):
        if status != 302 or not location:
            raise SystemExit(f"self-check walk: expected a redirect, got {status}")
        if location.endswith("/ergebnis/"):
            break
        if step == 1:  # the second question: one answer is in the cookie
            found["question"] = (location, visitor.cookie_header)
        status, _, page = visitor.request(location)
        token = re.search(r'name="token" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"self-check walk: {location} answered {status} without a form")
        slug = location.rstrip("/").rsplit("/", 1)[-1]
        data = persona.get(slug) or {"dont_know": "1"}
        status, redirect, _ = visitor.request(location, {**data, "token": token.group(1)})
        if status == 400:  # refused: "I don't know" instead
            data = {"dont_know": "1", "token": token.group(1)}
            status, redirect, _ = visitor.request(location, data)
        location = redirect
    else:
        raise SystemExit("self-check walk: more than 30 questions")
    status, _, page = visitor.request(location)
    if status != 200 or 'id="angebote"' not in page:
        raise SystemExit(f"self-check walk: the result page answered {status} without offers")
    found["result"] = (location, visitor.cookie_header)
    if "question" not in found:
        raise SystemExit("self-check walk: it ended after the first question")
    return found


def visitors(base: str, n: int = N_VISITORS) -> dict[str, list[tuple[str, str]]]:
    """``question`` and ``result``: (path, cookie) of ``n`` distinct visitors each."""
    out: dict[str, list[tuple[str, str]]] = {"question": [], "result": []}
    for i, persona in enumerate(personas(n)):
        address = f"10.1.{i // 250}.{i % 250 + 1}"  # each visitor from an address of her own
        for name, row in answer_questions(base, persona, address).items():
            out[name].append(row)
    return out


def write_rows(path: Path, rows: list[tuple[str, str]]) -> Path:
    """The input file of the wrk script: one ``path<TAB>cookie`` per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{p}\t{c}\n" for p, c in rows), encoding="utf-8")
    return path
