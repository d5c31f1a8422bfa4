"""Parsing of search filters: one form for the search page, the map and the API, so that every
entry point accepts the same parameters and answers bad input with the same translated message."""

from __future__ import annotations

import json

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wegweiser.directory import geo, vocabulary
from wegweiser.directory.languages import LANGUAGE_CHOICES
from wegweiser.directory.models import Region
from wegweiser.directory.selectors import OfferQuery
from wegweiser.eligibility.facts import ProfileError
from wegweiser.programmes.models import Programme

DEFAULT_RADIUS_KM = 25
MAX_RADIUS_KM = 300
PAGE_SIZE = 20
SORTS = {
    "": _("automatisch"),
    "relevance": _("Relevanz"),
    "distance": _("Entfernung"),
    "name": _("Name"),
}


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), max_length=200, required=False)
    postcode = forms.RegexField(
        label=_("Postleitzahl"),
        regex=r"^\s*\d{5}\s*$",
        required=False,
        error_messages={"invalid": _("Bitte geben Sie eine fünfstellige Postleitzahl ein.")},
    )
    radius = forms.FloatField(
        label=_("Umkreis (km)"),
        required=False,
        error_messages={"invalid": _("Der Umkreis muss eine Zahl sein.")},
    )
    lat = forms.FloatField(label=_("Breitengrad"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Längengrad"), required=False, min_value=-180, max_value=180)
    region = forms.ChoiceField(label=_("Kreis oder Stadt"), required=False)
    theme = forms.MultipleChoiceField(
        label=_("Thema"), required=False, choices=list(vocabulary.THEMES.items())
    )
    programme = forms.MultipleChoiceField(label=_("Programm"), required=False)
    language = forms.MultipleChoiceField(
        label=_("Sprache"), required=False, choices=LANGUAGE_CHOICES
    )
    mode = forms.MultipleChoiceField(
        label=_("Form"), required=False, choices=list(vocabulary.MODES.items())
    )
    free = forms.BooleanField(label=_("nur kostenlose Angebote"), required=False)
    profile = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label=_("Sortierung"), required=False, choices=list(SORTS.items()))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, land: str | None = geo.HESSEN, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("label").only("ags", "label")
        if land:
            regions = regions.filter(land_ags=land)
        self.fields["region"].choices = [("", _("alle"))] + [(r.ags, r.label) for r in regions]
        self._all_regions = land is None
        lang = (get_language() or "de").split("-")[0]
        self.fields["programme"].choices = [
            (p.key, p.name.get(lang) or p.name.get("de", p.key))
            for p in Programme.objects.order_by("position")
        ]

    def clean_region(self):
        ags = self.cleaned_data["region"]
        return ags

    def clean_postcode(self):
        plz = (self.cleaned_data.get("postcode") or "").strip()
        if plz and geo.postcode(plz) is None:
            raise forms.ValidationError(
                _("Die Postleitzahl %(plz)s kennen wir nicht."), params={"plz": plz}
            )
        return plz

    def clean_radius(self):
        radius = self.cleaned_data.get("radius")
        if radius is not None and not 0 < radius <= MAX_RADIUS_KM:
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
            data = json.loads(raw)
        except json.JSONDecodeError:
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
            raise forms.ValidationError(exc.text(lang)) from None

    def clean(self):
        data = super().clean()
        has_lat, has_lon = data.get("lat") is not None, data.get("lon") is not None
        if has_lat != has_lon:
            raise forms.ValidationError(
                _("Für eine Position werden Breiten- und Längengrad gebraucht.")
            )
        if has_lat and data.get("postcode"):
            raise forms.ValidationError(
                _("Bitte geben Sie entweder eine Postleitzahl oder Koordinaten an, nicht beides.")
            )
        has_point = has_lat or bool(data.get("postcode"))
        if data.get("radius") is not None and not has_point and "postcode" not in self.errors:
            self.add_error("radius", _("Ein Umkreis braucht eine Postleitzahl oder eine Position."))
        if data.get("sort") == "distance" and not has_point:
            self.add_error("sort", _("Nach Entfernung sortieren geht nur mit einem Ort."))
        if data.get("sort") == "relevance" and not (data.get("q") or "").strip():
            self.add_error("sort", _("Nach Relevanz sortieren geht nur mit einem Suchbegriff."))
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
            sort=d.get("sort") or "",
            page=d.get("page") or 1,
            page_size=page_size,
        )


def first_error(form: forms.Form) -> list[dict]:
    """Errors as ``[{"loc": [...], "msg": ..., "type": "value_error"}]`` for the API."""
    detail = []
    for field, errors in form.errors.get_json_data().items():
        for err in errors:
            loc = ["query"] if field == "__all__" else ["query", field]
            detail.append({"loc": loc, "msg": err["message"], "type": "value_error"})
    return detail
