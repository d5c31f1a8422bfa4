"""The current organisation of a request, resolved once per request.

A user may work for several organisations. The one they act for is kept in the session
(``SESSION_KEY``, set by :func:`organisation_select`); without a valid choice it is the first of
their organisations by name. :class:`CurrentOrganisationMiddleware` puts it on the request as
``request.organisation`` (``None`` for anonymous users and users without a membership) together
with ``request.roles``, the frozenset of :class:`~wegweiser.accounts.models.Role` the user holds
there, and ``request.organisations``, all organisations the user may switch to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from wegweiser.accounts.models import Membership, Role
from wegweiser.organisations.models import Organisation

SESSION_KEY = "wegweiser.organisation"


@dataclass(frozen=True)
class OrganisationContext:
    organisation: Organisation | None = None
    roles: frozenset[Role] = frozenset()
    organisations: tuple[Organisation, ...] = field(default_factory=tuple)


def memberships_of(user) -> dict[Organisation, frozenset[Role]]:
    """Each organisation ``user`` belongs to with the roles held there, ordered by name."""
    if not user.is_authenticated or not user.is_active:
        return {}
    rows = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )
    result: dict[Organisation, set[Role]] = {}
    for m in rows:
        result.setdefault(m.organisation, set()).add(Role(m.role))
    return {org: frozenset(roles) for org, roles in result.items()}


def resolve(user, session) -> OrganisationContext:
    """The organisation chosen in ``session`` if ``user`` still belongs to it, else the first."""
    memberships = memberships_of(user)
    if not memberships:
        return OrganisationContext()
    chosen = session.get(SESSION_KEY) if session is not None else None
    organisation = next((o for o in memberships if str(o.pk) == chosen), None)
    if organisation is None:
        organisation = next(iter(memberships))
    return OrganisationContext(organisation, memberships[organisation], tuple(memberships))


def current_organisation(request) -> Organisation | None:
    """``request.organisation``; resolves it when the middleware has not run (e.g. in tests)."""
    context = getattr(request, "_organisation_context", None)
    if context is None:
        context = resolve(request.user, getattr(request, "session", None))
        request._organisation_context = context
    return context.organisation


def organisation_select(request, organisation_id) -> Organisation:
    """Make ``organisation_id`` the current organisation; only one of the user's own.

    Raises ``PermissionDenied`` for any other organisation (existing or not).
    """
    memberships = memberships_of(request.user)
    organisation = next((o for o in memberships if str(o.pk) == str(organisation_id)), None)
    if organisation is None:
        raise PermissionDenied
    request.session[SESSION_KEY] = str(organisation.pk)
    context = OrganisationContext(organisation, memberships[organisation], tuple(memberships))
    _apply(request, context)
    return organisation


def _apply(request, context: OrganisationContext) -> None:
    request._organisation_context = context
    request.organisation = context.organisation
    request.roles = context.roles
    request.organisations = context.organisations


class CurrentOrganisationMiddleware:
    """Sets ``request.organisation``, ``request.roles`` and ``request.organisations``.

    Goes after ``AuthenticationMiddleware`` and ``SessionMiddleware``. One query per request for
    a signed-in user, none for anonymous visitors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _apply(request, resolve(request.user, getattr(request, "session", None)))
        return self.get_response(request)
