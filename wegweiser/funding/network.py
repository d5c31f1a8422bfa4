"""The network of a funded project (issue 15, point 4) and the Kreise of a user's networks.

Who sees which projects (:func:`projects_visible`, permission ``funding.network``), each role
at its current organisation:

- network coordinator: the projects its organisation carries or is a Verbund partner of;
- programme administrator and funder: every project of the programmes its organisation's
  projects belong to (the same scope as the ESF Plus reports, ``reporting.selectors``);
- the authority's reviewers and approvers: the projects its decisions created or updated
  (applications to its calls linked to a project).

Nothing here names a person: the referral figures are counts per pair of partner
organisations, and every reader of this page is a role without personal-data rights, so the
counts are always suppressed like the reports (``reporting.suppression``: 1 to 4 hidden, and
more where a hidden count could be recovered from the row and column totals).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from wegweiser.accounts.models import Role
from wegweiser.accounts.permissions import roles_of, user_can
from wegweiser.cases.models import Referral, ReferralStatus
from wegweiser.core.i18n import pick
from wegweiser.core.languages import short_language_code
from wegweiser.directory.models import Offer
from wegweiser.organisations.models import Organisation, Region
from wegweiser.programmes.models import PARTNER_ROLES, Project
from wegweiser.reporting.suppression import DEFAULT_THRESHOLD, Equation, suppress
from wegweiser.volunteers.models import InterpretingRequest

#: The columns of the referral table: a referral's status → its column (drafts not counted).
#: ``sent`` is the row's total: every referral sent, whatever happened to it since.
REFERRAL_COLUMNS = ("accepted", "refused", "open", "ended")
_COLUMN_OF = {
    ReferralStatus.SENT: "open",
    ReferralStatus.ACCEPTED: "accepted",
    ReferralStatus.COMPLETED: "accepted",
    ReferralStatus.REFUSED: "refused",
    ReferralStatus.WITHDRAWN: "ended",
    ReferralStatus.EXPIRED: "ended",
}
TOTAL = "__total__"


def threshold() -> int:
    return int(getattr(settings, "WEGWEISER_REPORT_MIN_CELL", DEFAULT_THRESHOLD))


def _own_projects(organisation) -> QuerySet[Project]:
    return Project.objects.filter(Q(carrier=organisation) | Q(partners=organisation))


def projects_visible(user, organisation) -> QuerySet[Project]:
    """The projects whose network ``user`` may see at ``organisation`` (none without the
    permission); another project answers 404 like a missing one."""
    if organisation is None or not user_can(user, organisation, "funding.network"):
        return Project.objects.none()
    roles = roles_of(user, organisation)
    scope = Q(pk__in=[])
    if Role.NETWORK_COORDINATOR in roles:
        scope |= Q(pk__in=_own_projects(organisation).values("pk"))
    if roles & {Role.PROGRAMME_ADMIN, Role.FUNDER}:
        programmes = _own_projects(organisation).values("funding_round__programme")
        scope |= Q(funding_round__programme__in=programmes)
    if roles & {Role.FUNDING_REVIEWER, Role.FUNDING_APPROVER}:
        scope |= Q(funding_applications__call__authority=organisation)
    return (
        Project.objects.filter(scope)
        .distinct()
        .select_related("carrier", "funding_round__programme")
        .order_by("name", "pk")
    )


@dataclass
class Partner:
    organisation: Organisation
    role: str  # label
    offers: int = 0


def partners(project: Project) -> list[Partner]:
    """The carrier first (as Verbundkoordination unless it holds another role), then the
    partners by role and name, each with its number of published offers."""
    rows = {
        m.organisation_id: Partner(m.organisation, str(PARTNER_ROLES.get(m.role, m.role)))
        for m in project.memberships.select_related("organisation").order_by("organisation__name")
    }
    if project.carrier_id not in rows:
        rows[project.carrier_id] = Partner(project.carrier, str(PARTNER_ROLES["lead"]))
    counts = dict(
        Offer.objects.filter(status=Offer.PUBLISHED, organisation_id__in=rows)
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
    )
    for pk, row in rows.items():
        row.offers = counts.get(pk, 0)
    carrier = rows.pop(project.carrier_id)
    role_order = {str(label): i for i, label in enumerate(PARTNER_ROLES.values())}
    rest = sorted(rows.values(), key=lambda p: (role_order.get(p.role, 99), p.organisation.name))
    return [carrier, *rest]


def offer_points(organisations: Iterable[Organisation]) -> list[dict]:
    """The partners' published offers with a place, for the map (name, provider, link)."""
    offers = (
        Offer.objects.filter(
            status=Offer.PUBLISHED,
            organisation__in=list(organisations),
            lat__isnull=False,
            lon__isnull=False,
        )
        .select_related("organisation")
        .order_by("organisation__name", "sort_name")
    )
    return [
        {
            "lat": o.lat,
            "lon": o.lon,
            "title": pick(o.name),
            "organisation": o.organisation.name,
            "url": o.get_absolute_url(),
        }
        for o in offers
    ]


@dataclass
class ReferralTable:
    #: (sender, receiver, [sent, accepted, refused, open, ended]) for every pair with a
    #: referral; ``None`` where a count is hidden
    rows: list[tuple[Organisation, Organisation, list]] = field(default_factory=list)
    total: list = field(default_factory=list)
    hidden: int = 0

    @property
    def columns(self) -> tuple[str, ...]:
        return ("sent", *REFERRAL_COLUMNS)


def referral_counts(project: Project) -> dict[tuple, dict[str, int]]:
    """Referrals sent between two partner organisations of the project during its period:
    per (sender id, receiver id) the number sent and per column. No person, no case."""
    members = [p.organisation.pk for p in partners(project)]
    referrals = Referral.objects.filter(
        sending_organisation__in=members,
        receiving_organisation__in=members,
        sent_at__isnull=False,
        sent_at__date__gte=project.start,
    ).exclude(status=ReferralStatus.DRAFT)
    if project.end:
        referrals = referrals.filter(sent_at__date__lte=project.end)
    counts: dict[tuple, dict[str, int]] = {}
    rows = (
        referrals.order_by()
        .values_list("sending_organisation_id", "receiving_organisation_id", "status")
        .annotate(n=Count("pk"))
    )
    for sender, receiver, status, n in rows:
        cell = counts.setdefault((sender, receiver), dict.fromkeys(("sent", *REFERRAL_COLUMNS), 0))
        cell[_COLUMN_OF[status]] += n
        cell["sent"] += n
    return counts


def referral_equations(pairs) -> list[Equation]:
    """Per row (each pair and the total row) sent = accepted + refused + open + ended; per
    column the total row = the sum of the pairs."""
    columns = ("sent", *REFERRAL_COLUMNS)
    equations = [
        Equation((key, "sent"), tuple((key, c) for c in REFERRAL_COLUMNS))
        for key in [*pairs, TOTAL]
    ]
    equations += [Equation((TOTAL, c), tuple((pair, c) for pair in pairs)) for c in columns]
    return equations


def suppressed(
    counts: dict[tuple, dict[str, int]], limit: int
) -> tuple[dict[tuple, list], list, set]:
    """The counts per pair and their total row as shown: ``None`` for a hidden count (primary
    and secondary suppression over :func:`referral_equations`). Returns the rows, the total
    row and the hidden cells."""
    columns = ("sent", *REFERRAL_COLUMNS)
    values: dict = {}
    for pair, cell in counts.items():
        for c in columns:
            values[(pair, c)] = cell[c]
    for c in columns:
        values[(TOTAL, c)] = sum(cell[c] for cell in counts.values())
    hidden = suppress(values, referral_equations(list(counts)), limit)

    def row(key):
        return [None if (key, c) in hidden else values[(key, c)] for c in columns]

    return {pair: row(pair) for pair in counts}, row(TOTAL), hidden


def referral_table(project: Project, limit: int | None = None) -> ReferralTable:
    """:func:`referral_counts` as shown (:func:`suppressed`), the pairs by name."""
    limit = threshold() if limit is None else limit
    counts = referral_counts(project)
    rows, total, hidden = suppressed(counts, limit)
    orgs = Organisation.objects.in_bulk({o for pair in counts for o in pair})
    table = ReferralTable(total=total, hidden=len(hidden))
    for pair in sorted(counts, key=lambda p: (orgs[p[0]].name, orgs[p[1]].name)):
        table.rows.append((orgs[pair[0]], orgs[pair[1]], rows[pair]))
    return table


# --- the Kreise of the networks and the languages asked for ---------------------------------------


def kreise_of(projects: QuerySet[Project]) -> set[str]:
    """The Kreise (keys) the projects serve; a Sonderstatusstadt counts in its Kreis."""
    regions = Region.objects.filter(projects__in=projects).values_list("ags", "kind", "parent_id")
    return {
        parent if kind == "sonderstatusstadt" and parent else ags for ags, kind, parent in regions
    }


def language_demand() -> list[tuple[str, str, int]]:
    """Interpreting requests per Kreis (of the pool asked) and language: ``(ags, language,
    requests)``. Every request counts, whatever became of its booking: it was asked for."""
    rows = (
        InterpretingRequest.objects.exclude(pool__kreis="")
        .order_by()
        .values_list("pool__kreis", "language")
        .annotate(n=Count("pk"))
    )
    merged: dict[tuple[str, str], int] = {}
    for kreis, language, n in rows:
        # a Sonderstatusstadt's pool (its municipality key) counts in its Kreis
        key = (kreis[:5], short_language_code(language))
        merged[key] = merged.get(key, 0) + n
    return [(k, lang, n) for (k, lang), n in sorted(merged.items())]
