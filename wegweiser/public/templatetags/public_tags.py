from functools import lru_cache

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.template.loader import get_template
from django.urls import translate_url
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from wegweiser.core.shared import SharedObjects
from wegweiser.directory.models import Location, Offer, OfferLocation
from wegweiser.organisations.models import Organisation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every language: plain links, no form, no cookie."""
    request = context["request"]
    current = (context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE).split("-")[0]
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": _translated_path(request.path, code),
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
    return links


@lru_cache(maxsize=4096)
def _translated_path(path: str, code: str) -> str:
    """``translate_url`` resolves and reverses the path each time; the answer depends only on
    the path and the language (the URLconf does not change while the process runs)."""
    return translate_url(path, code)


# --- the offer cards of the result page ---------------------------------------------------------

#: How to reach an offer (``public/_offer_contact.html``) as rendered, per offer, language, form
#: and whether its organisation answers requests: the same for every visitor (``core.shared``).
_CONTACTS = SharedObjects("offer-contact-html", Offer, OfferLocation, Location, Organisation)


def _contact_html(offer, compact: bool) -> str:
    receives = bool(getattr(offer, "receives_requests", False))
    key = (offer.pk, get_language(), compact, receives)

    def load(keys) -> dict:
        context = {"offer": offer, "compact": compact}
        return {key: get_template("public/_offer_contact.html").render(context)}

    return _CONTACTS.get_many([key], load)[key]


def _distance(hit) -> str:
    if hit.distance_km is None:
        return ""
    km = conditional_escape(floatformat(hit.distance_km, 1))
    return ' · <span class="distance">' + gettext("%(km)s km entfernt") % {"km": km} + "</span>"


@register.simple_tag
def offer_card(hit, compact=False):
    """One offer of the result page (``hit``: a search hit with its distance); ``compact``: the
    nearest offer of a fitting programme, in one line. The HTML of the template it replaced
    (tested byte for byte in six languages, ``tests/public/test_offer_card.py``), written in
    Python with the contact part kept: the cards were half of the page's rendering. German
    names and addresses are isolated from the page's direction (bdi, dir="auto")."""
    offer = hit.offer
    esc = conditional_escape
    head = (
        f'\n<li class="offer-card{" compact" if compact else ""}" data-offer-id="{esc(offer.id)}">'
    )
    link = f'<a href="{esc(offer.get_absolute_url())}" dir="auto">{esc(offer.title)}</a>'
    contact = _contact_html(offer, bool(compact))
    if compact:
        body = f"\n  <p>{esc(gettext('Nächstes Angebot:'))} {link}{_distance(hit)} · {contact}</p>"
    else:
        rnd = offer.funding_round
        programme = f" · <bdi>{esc(rnd.programme)}</bdi>" if rnd else ""
        places = list(offer.placements.all())
        loc = places[0].location if places else None
        place = f"<bdi>{esc(loc.postcode)} {esc(loc.city)}</bdi>" if loc else ""
        body = (
            f"\n  <h3>{link}</h3>"
            f'\n  <p class="org"><bdi>{esc(offer.organisation.name)}</bdi>{programme}</p>'
            f'\n  <p class="meta">{place}{_distance(hit)}</p>'
            f"\n  {contact}"
        )
    return mark_safe(head + body + "\n</li>\n")  # noqa: S308 (every value escaped above)


@register.simple_tag
def citations(found):
    """``programmes/_citations.html`` for a list of citations: rendered once per list and
    language (they come from the catalogue, which does not change while the process runs)."""
    return _citations_html(tuple(found), get_language())


@lru_cache(maxsize=2048)
def _citations_html(found: tuple, lang: str) -> str:
    return get_template("programmes/_citations.html").render({"citations": list(found)})
