"""What each role may do. Deny by default: a permission not listed here is not granted."""

from __future__ import annotations

from django.db.models import QuerySet

from wegweiser.accounts.models import Membership, Role
from wegweiser.directory.models import Organisation

#: Roles that maintain their organisation's entries in the public directory.
DIRECTORY_EDITORS = frozenset({Role.COUNSELLOR, Role.TEAM_LEAD, Role.NETWORK_COORDINATOR})


def directory_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose offers ``user`` may edit (none for anonymous users)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    org_ids = Membership.objects.filter(user=user, role__in=DIRECTORY_EDITORS).values(
        "organisation_id"
    )
    return Organisation.objects.filter(pk__in=org_ids)
