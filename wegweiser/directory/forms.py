"""Forms of the directory. Parsing of search filters: one form for the search page, the map and
the API, so that every entry point accepts the same parameters and answers bad input with the
same translated message. The maintenance form of an offer reads its fields and leaves the
judging to the one validation of an offer (``validation.check_offer``), which the CSV and the
HSDS import use too."""

from __future__ import annotations

import copy
import json
import unicodedata
from functools import lru_cache

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wegweiser.core import geo
from wegweiser.core.forms import PostcodeField
from wegweiser.core.i18n import pick
from wegweiser.core.jsonlimits import check_depth
from wegweiser.core.languages import LANGUAGE_CHOICES, language_label
from wegweiser.core.shared import shared
from wegweiser.directory import vocabulary
from wegweiser.directory.opening_hours import format_opening_hours, parse_opening_hours
from wegweiser.directory.selectors import OfferQuery, eligible_round_ids
from wegweiser.directory.validation import OfferInput, PlaceInput, check_offer
from wegweiser.eligibility.facts import ProfileError
from wegweiser.organisations.selectors import region_choices
from wegweiser.programmes.models import FundingRound, Programme

DEFAULT_RADIUS_KM = 25
MAX_RADIUS_KM = 300
MAX_PROFILE_LENGTH = 4000
PAGE_SIZE = 20
#: Highest page number accepted (2,000,000 offers at 20 per page); keeps the SQL offset in range.
MAX_PAGE = 100_000
SORTS = {
    "": _("automatisch"),
    "relevance": _("Relevanz"),
    "distance": _("Entfernung"),
    "name": _("Name"),
}


class _RawCheckbox(forms.CheckboxInput):
    """A checkbox that hands the sent text to the field (Django's turns any text into true)."""

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class StrictBooleanField(forms.BooleanField):
    """A checkbox (``on``) or ``true``/``false`` (the API), exactly as the API's document lists
    them; anything else is an error, not true."""

    widget = _RawCheckbox
    VALUES = {"": False, "false": False, "true": True, "on": True}

    def to_python(self, value):
        if isinstance(value, bool) or value is None:
            return bool(value)
        if str(value) not in self.VALUES:
            raise forms.ValidationError(_("Bitte ja (true) oder nein (false)."), code="invalid")
        return self.VALUES[str(value)]


@shared("programme-names", Programme)
def _programme_names() -> tuple[tuple[str, dict], ...]:
    """Each programme's key and names in its order (the search filter's choices; kept)."""
    rows = Programme.objects.order_by("position").values_list("key", "name")
    return tuple((key, name) for key, name in rows)


class FixedChoices(BaseChoiceIterator):
    """Choices given once as ``(key, escaped label)`` pairs of text: Django takes a choice
    iterator as it is, where it would copy and check a list on every assignment to a field and
    its widget; the search form's template tags read ``items`` as they are."""

    def __init__(self, pairs) -> None:
        self.items = tuple((str(key), conditional_escape(label)) for key, label in pairs)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@lru_cache(maxsize=32)
def _fixed_choices(lang: str) -> dict:
    """The search form's choices that do not change while the process runs, each label in
    ``lang`` (the active language) as escaped text: resolved once per language instead of
    once per form and again per rendering (docs/directory.md, "Speed")."""

    return {
        "theme": FixedChoices(vocabulary.THEMES.items()),
        "language": FixedChoices(LANGUAGE_CHOICES),
        "mode": FixedChoices(vocabulary.MODES.items()),
        "sort": FixedChoices(SORTS.items()),
        "all": conditional_escape(_("alle")),
    }


class _SharedFields(dict):
    """A form's fields that every form of one language shares: Django deep-copies a form's
    ``base_fields`` so that a form may change its own fields; the search form never changes
    them after they are prepared, so each form gets a new dict of the same field objects."""

    def __init__(self, fields) -> None:
        super().__init__(fields)
        #: what a page rendered once from these fields (``search_page``): gone with them
        self.rendered: dict = {}

    def __deepcopy__(self, memo):
        return dict(self)


#: (form class, language, Land) -> (programme names, regions, the fields prepared from them)
_PREPARED: dict[tuple[type, str, str | None], tuple] = {}


def _shared_fields(form: type, land: str | None) -> _SharedFields:
    """The search form's fields with their choices in the active language, prepared once per
    language and Land and again when the programmes or the regions changed. Read only: no
    form, view or tag may change a field of them (a change would reach every visitor)."""
    lang = (get_language() or "de").split("-")[0]
    names, regions = _programme_names(), region_choices(land)
    kept = _PREPARED.get((form, lang, land))
    if kept is not None and kept[0] == names and kept[1] == regions:
        return kept[2]
    fields = copy.deepcopy(form.base_fields)
    fixed = _fixed_choices(lang)
    for name in ("theme", "language", "mode", "sort"):
        fields[name].choices = fixed[name]
    fields["region"].choices = FixedChoices([("", fixed["all"]), *regions])
    # names in the page's language where translated (the catalogue's German and English,
    # the other languages through their catalogues), as everywhere else
    fields["programme"].choices = FixedChoices(
        (key, pick(name, lang) or key) for key, name in names
    )
    prepared = _SharedFields(fields)
    _PREPARED[(form, lang, land)] = (names, list(regions), prepared)  # a copy: the cache's list
    return prepared


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), max_length=200, required=False)
    postcode = PostcodeField(  # digits of any script, a postcode we know
        label=_("Postleitzahl"),
        required=False,
        error_messages={
            "invalid": _("Bitte geben Sie eine fünfstellige Postleitzahl ein."),
            "unknown": _("Die Postleitzahl %(plz)s kennen wir nicht."),
        },
    )
    radius = forms.FloatField(
        label=_("Umkreis (km)"),
        required=False,
        error_messages={"invalid": _("Der Umkreis muss eine Zahl sein.")},
    )
    lat = forms.FloatField(label=_("Breitengrad"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Längengrad"), required=False, min_value=-180, max_value=180)
    # The choices of region, theme, programme, language, mode and sort are set per form in
    # the active language (``__init__``): the fixed ones resolved and escaped once per language.
    region = forms.ChoiceField(label=_("Kreis oder Stadt"), required=False)
    theme = forms.MultipleChoiceField(
        label=_("Thema"), required=False, widget=forms.CheckboxSelectMultiple
    )
    programme = forms.MultipleChoiceField(
        label=_("Programm"), required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.MultipleChoiceField(
        label=_("Sprache"), required=False, widget=forms.CheckboxSelectMultiple
    )
    mode = forms.MultipleChoiceField(
        label=_("Form"), required=False, widget=forms.CheckboxSelectMultiple
    )
    free = StrictBooleanField(label=_("nur kostenlose Angebote"), required=False)
    profile = forms.CharField(
        label=_("Profil"), required=False, max_length=MAX_PROFILE_LENGTH, widget=forms.HiddenInput
    )
    sort = forms.ChoiceField(label=_("Sortierung"), required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, *args, land: str | None = geo.HESSEN, **kwargs):
        # The fields with their choices in the active language, prepared once and shared by
        # every form of that language and Land (``_shared_fields``); Django would deep-copy
        # them per form and the choices would be set again (~0.25 ms of a search page).
        self.base_fields = _shared_fields(type(self), land)
        super().__init__(*args, **kwargs)

    def empty_hints(self) -> list[str]:
        """What to try when this (valid) search found nothing, beyond a larger radius or fewer
        filters: offers are described in German, and the directory holds Hessen's."""
        hints = []
        data = getattr(self, "cleaned_data", None) or {}  # unbound: no filters
        letters = [c for c in data.get("q") or "" if c.isalpha()]
        if letters and not any(unicodedata.name(c, "").startswith("LATIN") for c in letters):
            hints.append(
                _(
                    "Die Angebote sind auf Deutsch beschrieben. Suchen Sie mit einem deutschen "
                    "Wort (zum Beispiel „Sprachkurs“) oder wählen Sie ein Thema."
                )
            )
        found = geo.postcode(data.get("postcode") or "")
        if found is not None and not found.kreis_ags.startswith(geo.HESSEN):
            hints.append(
                _("Hier stehen Angebote in Hessen. Die Postleitzahl %(plz)s liegt nicht in Hessen.")
                % {"plz": found.plz}
            )
        return hints

    def clean_q(self):
        """Text without a searchable word (only signs or single letters) searches nothing."""
        from wegweiser.directory.search import query_words

        q = (self.cleaned_data.get("q") or "").strip()
        return q if query_words(q) else ""

    def clean_radius(self):
        radius = self.cleaned_data.get("radius")
        if radius is not None and not 1 <= radius <= MAX_RADIUS_KM:
            raise forms.ValidationError(
                _("Der Umkreis muss zwischen 1 und %(max)s km liegen."),
                params={"max": MAX_RADIUS_KM},
            )
        return radius

    def clean_profile(self):
        raw = self.cleaned_data.get("profile") or ""
        if not raw:
            return None
        try:
            check_depth(raw)
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise forms.ValidationError(_("Das Profil ist kein gültiges JSON.")) from None
        from wegweiser.eligibility.facts import parse_profile
        from wegweiser.programmes.selectors import engine_catalogue

        catalogue = engine_catalogue()
        try:
            return parse_profile(
                data, reference_date=timezone.localdate(), known_rounds=catalogue.round_ids
            )
        except ProfileError as exc:
            lang = (get_language() or "de").split("-")[0]
            raise forms.ValidationError(exc.text(lang), code=exc.code) from None

    def clean(self):
        data = super().clean()
        has_lat, has_lon = data.get("lat") is not None, data.get("lon") is not None
        if has_lat != has_lon:
            raise forms.ValidationError(
                _("Für eine Position werden Breiten- und Längengrad gebraucht."),
                code="lat_lon_pair",
            )
        if has_lat and data.get("postcode"):
            raise forms.ValidationError(
                _("Bitte geben Sie entweder eine Postleitzahl oder Koordinaten an, nicht beides."),
                code="postcode_and_point",
            )
        has_point = has_lat or bool(data.get("postcode"))
        if data.get("radius") is not None and not has_point and "postcode" not in self.errors:
            self.add_error(
                "radius",
                forms.ValidationError(
                    _("Ein Umkreis braucht eine Postleitzahl oder eine Position."),
                    code="radius_needs_centre",
                ),
            )
        if data.get("sort") == "distance" and not has_point:
            self.add_error(
                "sort",
                forms.ValidationError(
                    _("Nach Entfernung sortieren geht nur mit einem Ort."),
                    code="distance_needs_centre",
                ),
            )
        if data.get("sort") == "relevance" and not (data.get("q") or "").strip():
            self.add_error(
                "sort",
                forms.ValidationError(
                    _("Nach Relevanz sortieren geht nur mit einem Suchbegriff."),
                    code="relevance_needs_text",
                ),
            )
        return data

    def to_query(self, page_size: int = PAGE_SIZE) -> OfferQuery:
        """The validated filters (call only when the form is valid)."""
        d = self.cleaned_data
        lat = lon = None
        place = ""
        if d.get("postcode"):
            pc = geo.postcode(d["postcode"])
            lat, lon, place = pc.lat, pc.lon, f"{pc.plz} {pc.place}"
        elif d.get("lat") is not None:
            lat, lon = d["lat"], d["lon"]
        radius = d.get("radius")
        if lat is not None and radius is None:
            radius = DEFAULT_RADIUS_KM
        return OfferQuery(
            q=(d.get("q") or "").strip(),
            themes=tuple(d.get("theme") or ()),
            programmes=tuple(d.get("programme") or ()),
            languages=tuple(d.get("language") or ()),
            modes=tuple(d.get("mode") or ()),
            free_only=bool(d.get("free")),
            region=d.get("region") or "",
            lat=lat,
            lon=lon,
            radius_km=radius,
            place=place,
            profile=d.get("profile"),
            eligible_rounds=(
                eligible_round_ids(d["profile"]) if d.get("profile") is not None else None
            ),
            sort=d.get("sort") or "",
            page=d.get("page") or 1,
            page_size=page_size,
        )


#: The rules between search parameters (``type`` of their errors in the API; docs/api.md).
RULE_CODES = frozenset(
    {
        "lat_lon_pair",
        "postcode_and_point",
        "radius_needs_centre",
        "distance_needs_centre",
        "relevance_needs_text",
        # a profile's rules relative to another value (eligibility.parsing)
        "birth_after_reference",
        "age_contradicts_birth_date",
        "ags_not_in_kreis",
    }
)


def first_error(form: forms.Form) -> list[dict]:
    """Errors as ``[{"loc": [...], "msg": ..., "type": "value_error"}]`` for the API."""
    detail = []
    for field, errors in form.errors.get_json_data().items():
        for err in errors:
            loc = ["query"] if field == "__all__" else ["query", field]
            kind = err["code"] if err["code"] in RULE_CODES else "value_error"
            detail.append({"loc": loc, "msg": err["message"], "type": kind})
    return detail


class _Checkboxes(forms.MultipleChoiceField):
    """Checkboxes whose values the one validation judges, with its messages."""

    def valid_value(self, value) -> bool:
        return True


#: Where a problem of the one validation is shown: its field here (None: above the form).
_PROBLEM_FIELDS = {"address": None, "point": None}


class OfferEditForm(forms.Form):
    """Create or edit one offer of the user's organisations (the maintenance page).

    The fields only read the input (the web address gets ``https://`` when it has no scheme);
    what is required and what is valid is :func:`validation.check_offer`'s.
    """

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    name_de = forms.CharField(label=_("Name (Deutsch)"), required=False)
    name_en = forms.CharField(label=_("Name (Englisch)"), required=False)
    description_de = forms.CharField(
        label=_("Beschreibung (Deutsch)"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(
        label=_("Beschreibung (Englisch)"), widget=forms.Textarea, required=False
    )
    themes = _Checkboxes(
        label=_("Themen"),
        choices=list(vocabulary.THEMES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = _Checkboxes(
        label=_("Sprachen"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    modes = _Checkboxes(
        label=_("Form"),
        choices=list(vocabulary.MODES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    funding_round = forms.ModelChoiceField(label=_("Förderrunde"), queryset=None, required=False)
    street = forms.CharField(label=_("Straße und Hausnummer"), required=False)
    postcode = forms.CharField(label=_("Postleitzahl"), required=False)
    city = forms.CharField(label=_("Ort"), required=False)
    email = forms.CharField(label=_("E-Mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), required=False)
    website = forms.CharField(label=_("Website"), required=False)
    is_free = forms.BooleanField(label=_("kostenlos"), required=False, initial=True)
    cost_note = forms.CharField(label=_("Kosten"), required=False)
    appointment_only = forms.BooleanField(label=_("nur mit Termin"), required=False)
    opening_hours = forms.CharField(
        label=_("Öffnungszeiten"),
        required=False,
        help_text=_("z. B. „Mo-Do 09:00-12:00; Mi 14:00-17:00“"),
    )

    def __init__(self, data=None, *args, instance=None, organisations=None, **kwargs):
        self.instance = instance
        if instance is not None and data is None:  # the page (a GET passes data=None)
            kwargs.setdefault("initial", self._initial(instance))
        super().__init__(data, *args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if instance is not None:
            known = {code for code, _label in LANGUAGE_CHOICES}
            extra = [(c, language_label(c)) for c in instance.languages if c not in known]
            self.fields["languages"].choices = LANGUAGE_CHOICES + extra
        self.fields["funding_round"].queryset = FundingRound.objects.select_related(
            "programme"
        ).order_by("programme__position", "position")
        # the programme and the round by their names ("WIR – 2. Förderrunde (ab Oktober 2026)")
        self.fields["funding_round"].label_from_instance = lambda r: (
            f"{r.programme} – {pick(r.name)}"
        )
        self.offer_input: OfferInput | None = None

    @staticmethod
    def _initial(offer) -> dict:
        first = offer.placements.select_related("location").first()
        loc = first.location if first else None
        return {
            "organisation": offer.organisation_id,
            "name_de": offer.name.get("de", ""),
            "name_en": offer.name.get("en", ""),
            "description_de": offer.description.get("de", ""),
            "description_en": offer.description.get("en", ""),
            "themes": offer.themes,
            "languages": offer.languages,
            "modes": offer.modes,
            "funding_round": offer.funding_round_id,
            "street": loc.street if loc else "",
            "postcode": loc.postcode if loc else "",
            "city": loc.city if loc else "",
            "email": offer.email,
            "phone": offer.phone,
            "website": offer.website,
            "is_free": offer.is_free,
            "cost_note": offer.cost_note,
            "appointment_only": offer.appointment_only,
            "opening_hours": format_opening_hours(
                (h.weekday, h.opens, h.closes) for h in offer.opening_hours.all()
            ),
        }

    def clean_website(self):
        website = self.cleaned_data.get("website") or ""
        if website and "://" not in website:
            website = "https://" + website  # as a browser's address bar does
        return website

    def clean_opening_hours(self):
        try:
            return parse_opening_hours(self.cleaned_data.get("opening_hours") or "")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        d = super().clean()
        values = OfferInput(
            name={"de": d.get("name_de", ""), "en": d.get("name_en", "")},
            description={"de": d.get("description_de", ""), "en": d.get("description_en", "")},
            themes=list(d.get("themes") or []),
            languages=list(d.get("languages") or []),
            modes=list(d.get("modes") or []),
            is_free=bool(d.get("is_free")),
            cost_note=d.get("cost_note", ""),
            email=d.get("email", ""),
            phone=d.get("phone", ""),
            website=d.get("website", ""),
            appointment_only=bool(d.get("appointment_only")),
            hours=d.get("opening_hours") or [],
            place=PlaceInput(
                street=d.get("street", ""), postcode=d.get("postcode", ""), city=d.get("city", "")
            ),
        )
        values, problems = check_offer(values)
        for problem in problems:
            name = problem.field
            if name in ("name", "description"):
                name = f"{name}_{problem.key}"
            name = _PROBLEM_FIELDS.get(name, name if name in self.fields else None)
            if name is None or not self.has_error(name):
                self.add_error(name, problem.message)
        self.offer_input = values
        return d
