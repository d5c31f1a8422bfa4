from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

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
