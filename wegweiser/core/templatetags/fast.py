"""Template tags for the hot public pages that write what Django's own would, in Python and
without a template per call (issue 16; docs/public.md, "Speed"):

- ``{% input_field form.free %}`` is ``{{ form.free }}`` for a field whose widget is a plain
  ``<input>`` (text, hidden, checkbox, …): the HTML of Django's ``input.html`` and
  ``attrs.html`` widget templates, byte for byte (``tests/core/test_fast_tags.py``). Rendering
  those two templates through the form renderer cost 0.4 ms per field on the search page.
- ``{% asset "path" %}`` is ``{% static "path" %}``, kept per path and script prefix: the
  address of a collected file does not change while a process runs (the manifest is read at
  start), and resolving it cost ~45 µs per link, eight per search page.
- ``{% map_data map %}`` writes the data attributes every map element carries for
  ``directory/map.js`` from the ``map`` context (``directory.maps.map_settings``): what the
  include ``directory/_map_data.html`` wrote, byte for byte, without an include per page; kept
  per values (and whether each is marked safe), which are the same for every page of a language.
- ``{% language_nav %}`` is a visitor's language switch on every page of the staff layout
  (``base.html``: the directory, the programmes, the login and error pages): the page in every
  language as plain links, as on the self-check's pages (both from ``_page_in_languages``),
  instead of a form posting to ``set_language``, whose CSRF token cost 0.3 ms per page and set
  a cookie on every visitor. The links keep the page's query, so a search stays the search;
  they are kept per page, language and script prefix, split where the query goes.
- ``{% site_header %}`` is the staff layout's header (``_site_header.html``): for a visitor
  kept whole per language and script prefix, with the page's ``language_nav`` after it;
  signed in, rendered each time.
- ``{% kept name var … %}…{% endkept %}`` is ``{% cache 3600 name var … %}`` for a part of the
  layout that depends only on the listed values (the language, the user's roles): rendered
  once per values and script prefix and kept in the process, as text, until it ends (the
  cache tag hashed its key and unpickled the text on every page: ~0.1 ms for the header).
  What it holds changes only with the code (templates, translations, addresses). At most
  ``KEPT_LIMIT`` parts; beyond, the store starts afresh.
- ``{% kept_url "name" %}`` is ``{% url "name" %}`` for an address without arguments, kept per
  name, language and script prefix (``reverse`` cost ~25 µs, three times per search page).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils import translation
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, get_language_info, gettext

register = template.Library()

#: The widget templates :func:`input_field` writes in Python.
_INPUT_TEMPLATES = frozenset(
    {
        "django/forms/widgets/input.html",
        "django/forms/widgets/text.html",
        "django/forms/widgets/hidden.html",
        "django/forms/widgets/checkbox.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/search.html",
        "django/forms/widgets/email.html",
    }
)


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: as text, escaped unless marked safe."""
    return value if isinstance(value, SafeData) else conditional_escape(f"{value}")


@register.simple_tag
def input_field(bound):
    """``{{ bound }}`` for a plain ``<input>`` widget, written in Python (see module docstring);
    any other widget is rendered as Django renders it."""
    widget = bound.field.widget
    if (
        widget.template_name not in _INPUT_TEMPLATES
        or bound.field.localize
        or bound.field.show_hidden_initial
    ):
        return str(bound)
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    parts = [
        f'<input type="{conditional_escape(context["type"])}" '
        f'name="{conditional_escape(context["name"])}"'
    ]
    if context["value"] is not None:
        parts.append(f' value="{_text(context["value"])}"')
    for name, value in context["attrs"].items():
        if value is not False:
            parts.append(f" {conditional_escape(name)}")
            if value is not True:
                parts.append(f'="{_text(value)}"')
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


@register.simple_tag
def asset(path: str) -> str:
    """``{% static path %}``, kept per path and script prefix (see module docstring)."""
    return _asset(path, get_script_prefix())


@lru_cache(maxsize=256)
def _asset(path: str, prefix: str) -> str:
    return conditional_escape(static(path))


#: (attribute, key of the ``map`` context, whether its HTML is escaped into the attribute)
_MAP_DATA = (
    ("tiles", "tiles", False),
    ("tiles-attribution", "tiles_attribution", False),
    ("attribution", "attribution", True),
    ("background", "background", False),
    ("background-attribution", "background_attribution", True),
    ("label-sources", "label_sources", False),
    ("label-sources-long", "label_sources_long", False),
    ("label-zoom-in", "label_zoom_in", False),
    ("label-zoom-out", "label_zoom_out", False),
    ("label-cluster", "label_cluster", False),
)


@register.simple_tag
def map_data(settings) -> str:
    """The map element's data attributes (see module docstring). The HTML-valued sources are
    escaped into the attribute (``force_escape``), the rest as any variable. Kept per values
    (with whether each is marked safe): a language's map settings are the same on every page."""
    settings = settings or {}
    values = tuple(settings.get(key, "") for _attribute, key, _html in _MAP_DATA)
    return _map_data(values, tuple(isinstance(v, SafeData) for v in values))


@lru_cache(maxsize=64)
def _map_data(values: tuple, safe: tuple) -> str:
    return mark_safe(  # noqa: S308 (every value escaped)
        " ".join(
            f'data-{attribute}="{escape(value) if html else conditional_escape(value)}"'
            for (attribute, _key, html), value in zip(_MAP_DATA, values, strict=True)
        )
    )


@register.simple_tag(takes_context=True)
def language_nav(context) -> str:
    """The page in every language as links, with the page's query (see module docstring): the
    links are kept per page, language and script prefix, split where the query goes, so a
    request only escapes its query and joins."""
    request = context.get("request")
    query = request.META.get("QUERY_STRING", "") if request is not None else ""
    path, current, prefix = _page_key(request)
    parts = (_nav_parts.__wrapped__ if len(path) > 300 else _nav_parts)(path, current, prefix)
    return mark_safe(conditional_escape(f"?{query}").join(parts) if query else "".join(parts))  # noqa: S308 (every value escaped)


@lru_cache(maxsize=2048)
def _nav_parts(path: str, current: str, prefix: str) -> tuple[str, ...]:
    """The language links of a page, split after each address of the same page (its query
    goes there)."""
    label = conditional_escape(gettext("Sprache"))
    parts, text = [], f'<nav class="language-links" aria-label="{label}">\n  <ul>'
    for link in _page_in_languages.__wrapped__(path, current, prefix):
        text += f'\n    <li><a href="{conditional_escape(link["url"])}'
        if link["same_page"]:
            parts.append(text)
            text = ""
        direction = "rtl" if link["bidi"] else "ltr"
        marked = ' aria-current="true"' if link["current"] else ""
        text += (
            f'" lang="{link["code"]}" hreflang="{link["code"]}" dir="{direction}"{marked}>'
            f"{conditional_escape(link['name'])}</a></li>"
        )
    parts.append(text + "\n  </ul>\n</nav>")
    return tuple(parts)


def _page_key(request) -> tuple[str, str, str]:
    """The page (its path), the active language and the script prefix a page's language links
    depend on."""
    current = (get_language() or django_settings.LANGUAGE_CODE).split("-")[0]
    path = request.path_info if request is not None else ""
    return path, current, get_script_prefix()


def page_in_languages(request) -> tuple[dict, ...]:
    """The requested page in every language: ``code``, ``name`` (in that language), ``url``,
    ``bidi``, ``current``, ``same_page``. A page that is not one of ours (a 404), or a request
    missing, links each language's start page instead, so a link never leads elsewhere than
    its language says, nor off the site. Kept per page, language and script prefix (an
    address longer than any of ours is computed, not kept)."""
    path, current, prefix = _page_key(request)
    if len(path) > 300:
        return _page_in_languages.__wrapped__(path, current, prefix)
    return _page_in_languages(path, current, prefix)


@lru_cache(maxsize=2048)
def _page_in_languages(path: str, current: str, prefix: str) -> tuple[dict, ...]:
    try:
        match = resolve(path) if path else None
    except Resolver404:
        match = None
    name = match and (f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    links = []
    for code, _name in django_settings.LANGUAGES:
        info = get_language_info(code)
        with translation.override(code):
            url = None
            if name:
                try:
                    url = reverse(name, args=match.args, kwargs=match.kwargs)
                except NoReverseMatch:
                    url = None
            same_page = url is not None
            url = url or reverse("language-home")
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "bidi": info["bidi"],
                "current": code == current,
                "same_page": same_page,
            }
        )
    return tuple(links)


@register.simple_tag
def kept_url(name: str) -> str:
    """``{% url name %}`` for an address without arguments (see module docstring)."""
    return _kept_url(name, get_language(), get_script_prefix())


def kept_reverse(name: str) -> str:
    """``reverse(name)`` for an address without arguments, kept like :func:`kept_url`: the
    address as text, not escaped (for Python that builds an address further)."""
    return _kept_reverse(name, get_language(), get_script_prefix())


@lru_cache(maxsize=256)
def _kept_reverse(name: str, lang: str | None, prefix: str) -> str:
    return reverse(name)


@lru_cache(maxsize=256)
def _kept_url(name: str, lang: str | None, prefix: str) -> str:
    return conditional_escape(_kept_reverse(name, lang, prefix))


KEPT_LIMIT = 2000
_KEPT: dict[tuple, str] = {}


class KeptNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list) -> None:
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context) -> str:
        # the values as text, as the cache tag made its key of them
        key = (self.name, get_script_prefix(), *(str(v.resolve(context)) for v in self.vary_on))
        return _kept(key, lambda: self.nodelist.render(context))


def _kept(key: tuple, render) -> str:
    """The part kept under ``key`` (name, script prefix, values), else ``render()``, kept."""
    text = _KEPT.get(key)
    if text is None:
        text = render()
        if len(_KEPT) >= KEPT_LIMIT:
            _KEPT.clear()
        _KEPT[key] = text
    return text


@register.tag("kept")
def do_kept(parser, token):
    """``{% kept name var … %}…{% endkept %}`` (see module docstring)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'kept' takes a name and the values it depends on.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, bits[1], [parser.compile_filter(b) for b in bits[2:]])


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The header of ``base.html`` (``_site_header.html``). For a visitor it is the same on
    every page of a language but for the language links: rendered once per language and script
    prefix and kept (as ``{% kept %}`` keeps), the page's :func:`language_nav` after it. Signed
    in, it is rendered each time (the forms' CSRF tokens, the organisation switch)."""
    user = context.get("user")
    if user is not None and user.is_authenticated:
        return get_template("_site_header.html").template.render(context)
    key = ("site-header", get_script_prefix(), str(get_language()))
    text = _kept(key, lambda: get_template("_site_header.html").template.render(context))
    return mark_safe(f"{text}    {language_nav(context)}\n  </header>")  # noqa: S308 (rendered)


def forget_kept() -> None:
    """Forget every kept part (between tests; a changed setting)."""
    _KEPT.clear()
    _nav_parts.cache_clear()
    _map_data.cache_clear()
    _kept_url.cache_clear()
    _kept_reverse.cache_clear()


@receiver(setting_changed)
def _forget_assets(*, setting: str, **kwargs) -> None:
    """A test that changes where static files live gets the new addresses."""
    if setting in ("STATIC_URL", "STORAGES", "STATIC_ROOT", "FORCE_SCRIPT_NAME"):
        _asset.cache_clear()
    if setting in ("LANGUAGES", "ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _page_in_languages.cache_clear()
        _nav_parts.cache_clear()
    if setting in ("LANGUAGES", "ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STORAGES"):
        forget_kept()
