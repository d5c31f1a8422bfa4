"""Micro-benchmark: the hot templates of the public pages in Django's template engine against
Jinja2 (issue 16: "measure Django's engine against alternatives such as Jinja2 for them").

Rendered in one process, same objects, same language (German), on the bench database of
``bench/public_load.py`` (run that first; ``BENCH_PUBLIC_DB``):

- ``offer_list``: the search page's list of 20 offers (``directory/_results.html`` before, now
  the reference template ``tests/directory/reference/search_results.html``: heading with count
  and place, one card per offer with title link, organisation, programme, address, distance,
  themes), the offers alone as the former template loop and as the Python tag that replaced
  it, and the whole list in Django against the same markup in Jinja2 (i18n extension with
  Django's gettext) and in Python (``directory/search_page.results_html``, what the page uses);
- ``filter_choices``: the search form's 4 checkbox groups (42 boxes) and 2 selects (55 options):
  the widget templates Django renders per option (``{{ choice.tag }}``), the Python template
  tags that replaced them, and a Jinja2 loop.

Writes ``bench/results/template_engines.json``; prints microseconds per render (median of 7
batches). Jinja2 is not a dependency of the app; without it, only the Django figures.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "template_engines.json"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
PG_DB = os.environ.get("BENCH_PUBLIC_DB", "wegweiser_bench_public")

JINJA_OFFER_LIST = """<section id="results" class="results" aria-labelledby="results-heading"
         data-geojson-url="{{ geojson_url }}" data-regions-url="{{ regions_url }}">
  <h2 id="results-heading">
    {% trans counter=result.total %}{{ counter }} Angebot gefunden{% pluralize %}{{ counter }} \
Angebote gefunden{% endtrans %}{% if result.query.place %} {% trans place=result.query.place, \
radius=result.query.radius_km|round|int %}im Umkreis von {{ radius }} km um {{ place }}\
{% endtrans %}{% endif %}
  </h2>
  <ol class="offer-list">
    {% for hit in result.hits %}{% set offer = hit.offer %}
    <li class="offer-card" data-offer-id="{{ offer.id }}">
      <h3><a href="{{ offer.get_absolute_url() }}">{{ offer.title }}</a></h3>
      <p class="org">{{ offer.organisation.name }}{% if offer.funding_round %} · \
{{ offer.funding_round.programme }}{% endif %}</p>
      <p class="meta">
        {% set loc = offer.placements.all()[0].location %}{% if loc %}{{ loc.postcode }} \
{{ loc.city }}{% endif %}
        {% if hit.distance_km is not none %} · <span class="distance">{% trans \
km="%.1f"|format(hit.distance_km) %}{{ km }} km entfernt{% endtrans %}</span>{% endif %}
        {% if offer.is_outdated() %} · <span class="badge badge-outdated">\
{{ _("möglicherweise veraltet") }}</span>{% endif %}
      </p>
      <p class="themes">{{ offer.theme_labels()|join(" · ") }}</p>
    </li>
    {% endfor %}
  </ol>
</section>"""

JINJA_CHOICES = """{% for field in checkboxes %}{% for key, label in field.field.choices %}\
<label><input type="checkbox" name="{{ field.html_name }}" value="{{ key }}" \
id="{{ field.auto_id }}_{{ loop.index0 }}"{% if key in selected[field.name] %} checked{% endif %}>\
 {{ label }}</label>{% endfor %}{% endfor %}{% for field in selects %}\
{% for key, label in field.field.choices %}<option value="{{ key }}"\
{% if key|string == current[field.name] %} selected{% endif %}>{{ label }}</option>\
{% endfor %}{% endfor %}"""

DJANGO_WIDGETS = """{% for field in checkboxes %}{% for choice in field %}<label>{{ choice.tag }} \
{{ choice.choice_label }}</label>{% endfor %}{% endfor %}{% for field in selects %}\
{% for value, label in field.field.choices %}<option value="{{ value }}"{% if \
field.value|stringformat:"s" == value|stringformat:"s" %} selected{% endif %}>{{ label }}\
</option>{% endfor %}{% endfor %}"""

DJANGO_TAGS = """{% load directory %}{% for field in checkboxes %}{% checkbox_choices field %}\
{% endfor %}{% for field in selects %}{% select_options field %}{% endfor %}"""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wegweiser.config.settings")
    os.environ.setdefault("DATABASE_URL", f"{PG_SERVER}/{PG_DB}")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _time(render, batch: int = 50) -> dict[str, float]:
    render()  # compile, warm caches
    per = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(batch):
            render()
        per.append((time.perf_counter() - t0) / batch * 1e6)
    return {"median_us": round(statistics.median(per), 1), "min_us": round(min(per), 1)}


def main() -> None:
    _setup()
    from django.http import QueryDict
    from django.template import engines
    from django.utils import translation

    from wegweiser.directory import selectors
    from wegweiser.directory.forms import OfferSearchForm

    translation.activate("de")
    form = OfferSearchForm(QueryDict("q=Beratung&postcode=60311&radius=50&theme=counselling"))
    assert form.is_valid(), form.errors
    result = selectors.search_offers(form.to_query())
    for hit in result.hits:  # as the page would: everything loaded before timing
        list(hit.offer.placements.all())
    context = {
        "form": form,
        "result": result,
        "querystring": "",
        "geojson_url": "/api/v1/offers.geojson",
        "regions_url": "/api/v1/regions",
    }
    figures: dict[str, dict[str, dict[str, float]]] = {"offer_list": {}, "filter_choices": {}}
    from tests.directory.test_fast_offer_list import TAG, TEMPLATE_BODY

    loop = engines["django"].from_string(TEMPLATE_BODY)
    tag = engines["django"].from_string(TAG)
    hits = {"hits": result.hits}
    figures["offer_list"]["django_template_loop"] = _time(lambda: loop.render(hits))
    figures["offer_list"]["django_python_tag"] = _time(lambda: tag.render(hits))
    reference = ROOT / "tests" / "directory" / "reference" / "search_results.html"
    django_list = engines["django"].from_string(
        "{% load i18n directory %}" + reference.read_text(encoding="utf-8")
    )
    figures["offer_list"]["django_results_html"] = _time(lambda: django_list.render(context))
    from wegweiser.directory import search_page

    figures["offer_list"]["python_results_html"] = _time(
        lambda: search_page.results_html(
            form, result, "", context["geojson_url"], context["regions_url"]
        )
    )
    fields = {
        "checkboxes": [form[n] for n in ("theme", "programme", "language", "mode")],
        "selects": [form["region"], form["sort"]],
    }
    widgets = engines["django"].from_string(DJANGO_WIDGETS)
    tags = engines["django"].from_string(DJANGO_TAGS)
    figures["filter_choices"]["django_widget_templates"] = _time(lambda: widgets.render(fields))
    figures["filter_choices"]["django_python_tags"] = _time(lambda: tags.render(fields))
    try:
        import jinja2
    except ImportError:
        jinja2 = None
    if jinja2 is not None:
        env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
        env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
        jinja_list = env.from_string(JINJA_OFFER_LIST)
        figures["offer_list"]["jinja2_results_html"] = _time(lambda: jinja_list.render(context))
        jinja_choices = env.from_string(JINJA_CHOICES)
        choice_ctx = {
            **fields,
            "selected": {f.name: {str(v) for v in f.value() or ()} for f in fields["checkboxes"]},
            "current": {f.name: str(f.value()) for f in fields["selects"]},
        }
        figures["filter_choices"]["jinja2"] = _time(lambda: jinja_choices.render(choice_ctx))
    doc = {
        "what": __doc__.splitlines()[0],
        "offers_in_list": len(result.hits),
        "jinja2": getattr(jinja2, "__version__", None),
        "figures": figures,
    }
    RESULTS.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    for name, rows in figures.items():
        for engine, fig in rows.items():
            print(f"  {name:<15} {engine:<24} {fig['median_us']:9.1f} µs per render")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
