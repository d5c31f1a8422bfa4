from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from wegweiser.programmes.citations import source_citations, stored_rules
from wegweiser.programmes.models import Programme
from wegweiser.programmes.selectors import engine_catalogue, programme_get, programme_list


@require_safe
def programme_list_view(request):
    return render(
        request,
        "programmes/list.html",
        {"programmes": programme_list(), "today": timezone.localdate()},
    )


@require_safe
def programme_detail_view(request, key: str):
    try:
        programme = programme_get(key=key)
    except Programme.DoesNotExist:
        raise Http404 from None
    catalogue = engine_catalogue()
    rounds = [
        {"round": rnd, "rules": stored_rules(rnd.rules, catalogue)}
        for rnd in programme.rounds.all()
    ]
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "rounds": rounds,
            "sources": source_citations(programme.sources, catalogue),
            "today": timezone.localdate(),
        },
    )
