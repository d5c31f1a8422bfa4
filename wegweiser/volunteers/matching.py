"""Matching volunteers to interpreting appointments and tandems: pure Python, no Django.

Dataclasses in, ranked proposals out. A :class:`Need` (an appointment or a tandem) and the pool's
:class:`Candidate` s go through the **hard filters** (:func:`violations`: language and level,
qualifications valid on the day, setting not excluded, mode and travel radius, available for the
whole slot, not booked into an overlapping appointment, monthly hours left, no conflict of
interest, not declined before); the ones left are ranked by **weighted costs** (:func:`reasons`:
distance, hours this month, continuity, gender preference). Every cost is an integer number of
points, and a proposal's score is the sum of its reasons' points: the explanation *is* the rank.

:func:`batch` solves a week's open appointments together with
``scipy.optimize.linear_sum_assignment``, in rounds (each volunteer at most once per round, and
never into an appointment overlapping one she already got), :func:`greedy` one by one for
comparison. Nothing is assigned here: the coordinator confirms.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from scipy.optimize import linear_sum_assignment

#: Criteria of the ranking, in the order of the reasons.
DISTANCE, LOAD, CONTINUITY, GENDER = "distance", "load", "continuity", "gender"
#: Hard filters (what :func:`violations` names).
HARD_FILTERS = (
    "language",
    "qualification",
    "setting",
    "mode",
    "radius",
    "availability",
    "overlap",
    "capacity",
    "conflict",
    "declined",
    "inactive",
)
ON_SITE = "on_site"
#: A cost that rules a pair out of the assignment problem.
INFEASIBLE = 10**9


@dataclass(frozen=True)
class Weights:
    """Points per unit of each criterion (integers: the sum of the reasons is exact)."""

    per_km: int = 10
    per_hour_this_month: int = 20
    continuity_bonus: int = 150
    gender_mismatch: int = 100


@dataclass(frozen=True)
class Need:
    """An interpreting appointment (or a tandem: ``end`` None means no slot to fit)."""

    id: str
    language: str
    start: dt.datetime
    end: dt.datetime | None
    mode: str = ON_SITE
    min_level: int = 4
    setting: str = ""
    lat: float | None = None
    lon: float | None = None
    qualifications: frozenset[str] = frozenset()
    #: the person concerned and her family (conflict of interest, continuity)
    participant: str = ""
    family: frozenset[str] = frozenset()
    gender_preference: str = ""
    declined: frozenset[str] = frozenset()

    @cached_property
    def hours(self) -> float:
        return 0.0 if self.end is None else (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class Candidate:
    id: str
    #: language code -> (level, interprets to and from German)
    languages: dict[str, tuple[int, bool]]
    lat: float | None = None
    lon: float | None = None
    radius_km: float = 15.0
    modes: frozenset[str] = frozenset({ON_SITE})
    gender: str = ""
    #: weekly slots: (weekday 0 Monday, minute of the day from, minute to)
    weekly: tuple[tuple[int, int, int], ...] = ()
    #: days not available: (first, last) inclusive
    absences: tuple[tuple[dt.date, dt.date], ...] = ()
    #: qualification kind -> (completed on, expires on or None)
    qualifications: dict[str, tuple[dt.date, dt.date | None]] = field(default_factory=dict)
    excluded_settings: frozenset[str] = frozenset()
    #: appointments she is booked into: (start, end)
    booked: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    hours_this_month: float = 0.0
    max_hours_month: float = 10.0
    conflicts: frozenset[str] = frozenset()
    #: people she went with before (continuity)
    past_participants: frozenset[str] = frozenset()
    active: bool = True

    @cached_property
    def windows(self) -> dict[int, tuple[tuple[int, int], ...]]:
        """The weekly slots by weekday (computed once per candidate)."""
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for w, f, t in self.weekly:
            found[w].append((f, t))
        return {w: tuple(slots) for w, slots in found.items()}


@dataclass(frozen=True)
class Reason:
    criterion: str
    points: int
    #: the measured value (km, hours, True/False) for the explanation
    value: float | bool | None = None


@dataclass(frozen=True)
class Proposal:
    candidate: str
    score: int
    reasons: tuple[Reason, ...]


# --- hard filters --------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), as ``core.geo.distance_km``."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _distance(need: Need, c: Candidate) -> float | None:
    if need.mode != ON_SITE or None in (need.lat, need.lon, c.lat, c.lon):
        return None
    return distance_km(need.lat, need.lon, c.lat, c.lon)


def overlaps(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> bool:
    """Two half-open intervals share a moment."""
    return a[0] < b[1] and b[0] < a[1]


def _minute(t: dt.datetime) -> int:
    return t.hour * 60 + t.minute


def available(c: Candidate, start: dt.datetime, end: dt.datetime) -> bool:
    """A weekly slot covers the whole appointment (on one day), and no absence touches it."""
    day = start.date()
    if end.date() != day and not (end.date() == day + dt.timedelta(days=1) and _minute(end) == 0):
        return False
    last = 24 * 60 if end.date() != day else _minute(end)
    first = _minute(start)
    if any(a <= day <= b for a, b in c.absences):
        return False
    return any(f <= first and last <= t for f, t in c.windows.get(day.weekday(), ()))


def violations(need: Need, c: Candidate) -> list[str]:
    """The hard filters ``c`` fails for ``need`` (empty: she may be proposed)."""
    found = []
    if not c.active:
        found.append("inactive")
    skill = c.languages.get(need.language)
    if skill is None or skill[0] < need.min_level or (need.end is not None and not skill[1]):
        found.append("language")
    day = need.start.date()
    for kind in need.qualifications:
        q = c.qualifications.get(kind)
        if q is None or q[0] > day or (q[1] is not None and q[1] < day):
            found.append("qualification")
            break
    if need.setting and need.setting in c.excluded_settings:
        found.append("setting")
    if need.mode not in c.modes:
        found.append("mode")
    km = _distance(need, c)
    if km is not None and km > c.radius_km:
        found.append("radius")
    if need.end is not None:
        if not available(c, need.start, need.end):
            found.append("availability")
        if any(overlaps((need.start, need.end), b) for b in c.booked):
            found.append("overlap")
        if c.hours_this_month + need.hours > c.max_hours_month:
            found.append("capacity")
    if need.participant in c.conflicts or need.family & c.conflicts:
        found.append("conflict")
    if c.id in need.declined:
        found.append("declined")
    return found


def eligible(need: Need, c: Candidate) -> bool:
    """No hard filter fails (``violations`` is empty), the cheapest checks first and stopping
    at the first that fails (a property test holds both to the same answer)."""
    skill = c.languages.get(need.language)
    if (
        not c.active
        or skill is None
        or skill[0] < need.min_level
        or (need.end is not None and not skill[1])
        or need.mode not in c.modes
        or c.id in need.declined
        or (need.setting and need.setting in c.excluded_settings)
        or need.participant in c.conflicts
        or (need.family and need.family & c.conflicts)
    ):
        return False
    if need.end is not None and (
        c.hours_this_month + need.hours > c.max_hours_month
        or any(overlaps((need.start, need.end), b) for b in c.booked)
        or not available(c, need.start, need.end)
    ):
        return False
    day = need.start.date()
    for kind in need.qualifications:
        q = c.qualifications.get(kind)
        if q is None or q[0] > day or (q[1] is not None and q[1] < day):
            return False
    km = _distance(need, c)
    return km is None or km <= c.radius_km


# --- costs ---------------------------------------------------------------------------------------


def reasons(need: Need, c: Candidate, weights: Weights = Weights()) -> tuple[Reason, ...]:
    """The points of each criterion (lower is better; continuity is a bonus, negative)."""
    km = _distance(need, c)
    continuity = bool(need.participant) and need.participant in c.past_participants
    mismatch = bool(need.gender_preference) and c.gender != need.gender_preference
    return (
        Reason(DISTANCE, 0 if km is None else round(km * weights.per_km), km),
        Reason(LOAD, round(c.hours_this_month * weights.per_hour_this_month), c.hours_this_month),
        Reason(CONTINUITY, -weights.continuity_bonus if continuity else 0, continuity),
        Reason(GENDER, weights.gender_mismatch if mismatch else 0, not mismatch),
    )


def score(need: Need, c: Candidate, weights: Weights = Weights()) -> int:
    """The rank score: the sum of the points of :func:`reasons`."""
    return sum(r.points for r in reasons(need, c, weights))


def propose(need: Need, c: Candidate, weights: Weights = Weights()) -> Proposal:
    why = reasons(need, c, weights)
    return Proposal(c.id, sum(r.points for r in why), why)


class Index:
    """The candidates by language (built once for a pool, like the database's language filter)."""

    def __init__(self, candidates: Iterable[Candidate]):
        self.by_language: dict[str, list[Candidate]] = defaultdict(list)
        self.by_id: dict[str, Candidate] = {}
        for c in candidates:
            self.by_id[c.id] = c
            for language in c.languages:
                self.by_language[language].append(c)

    def speaking(self, language: str) -> list[Candidate]:
        return self.by_language.get(language, [])


def rank(
    need: Need,
    candidates: Index | Iterable[Candidate],
    weights: Weights = Weights(),
    limit: int | None = 10,
) -> list[Proposal]:
    """The candidates passing every hard filter, best (lowest score) first, ties by id."""
    pool = candidates.speaking(need.language) if isinstance(candidates, Index) else candidates
    found = [propose(need, c, weights) for c in pool if eligible(need, c)]
    found.sort(key=lambda p: (p.score, p.candidate))
    return found if limit is None else found[:limit]


# --- batch ---------------------------------------------------------------------------------------


def _booked(c: Candidate, need: Need) -> Candidate:
    """``c`` after taking ``need``: booked for its slot, its hours counted."""
    return replace(
        c,
        booked=(*c.booked, (need.start, need.end)),
        hours_this_month=c.hours_this_month + need.hours,
    )


def components(needs: Sequence[Need]) -> list[list[Need]]:
    """The needs in groups chained by overlaps, in time order: no need of one group overlaps a
    need of another, so the groups can be solved one after the other."""
    groups: list[list[Need]] = []
    until = None
    for need in sorted(needs, key=lambda n: (n.start, n.id)):
        end = need.end or need.start
        if until is None or need.start >= until:
            groups.append([])
            until = end
        groups[-1].append(need)
        until = max(until, end)
    return groups


def _solve_round(open_needs, index, state, weights, result) -> int:
    """One assignment problem: each volunteer at most once; returns how many were assigned."""
    rows: list[dict[int, int]] = []
    columns: dict[str, int] = {}
    for need in open_needs:
        row = {}
        for c in index.speaking(need.language):
            c = state[c.id]
            if eligible(need, c):
                row[columns.setdefault(c.id, len(columns))] = score(need, c, weights)
        rows.append(row)
    if not columns:
        return 0
    cost = np.full((len(open_needs), len(columns)), INFEASIBLE, dtype=np.int64)
    for i, row in enumerate(rows):
        if row:
            cost[i, list(row)] = list(row.values())
    ids = list(columns)
    assigned = 0
    for i, j in zip(*linear_sum_assignment(cost), strict=True):
        if cost[i, j] < INFEASIBLE:
            need = open_needs[i]
            result[need.id] = ids[j]
            state[ids[j]] = _booked(state[ids[j]], need)
            assigned += 1
    return assigned


def batch(
    needs: Sequence[Need], candidates: Iterable[Candidate], weights: Weights = Weights()
) -> dict[str, str]:
    """A week's appointments solved together: need id -> candidate id (unsolvable ones left
    out). The needs fall into groups chained by overlaps (:func:`components`), solved in time
    order; within a group, rounds of minimum total cost (``linear_sum_assignment``) in which a
    volunteer takes at most one appointment, the next round seeing her booked. So no two
    overlapping appointments share a volunteer, and one volunteer may take several appointments
    that do not overlap."""
    index = Index(candidates)
    state = dict(index.by_id)
    result: dict[str, str] = {}
    for group in components(needs):
        open_needs = group
        while open_needs and _solve_round(open_needs, index, state, weights, result):
            open_needs = [n for n in open_needs if n.id not in result]
    return result


def greedy(
    needs: Sequence[Need], candidates: Iterable[Candidate], weights: Weights = Weights()
) -> dict[str, str]:
    """One appointment after the other (by start), each the best candidate left."""
    index = Index(candidates)
    state = dict(index.by_id)
    result = {}
    for need in sorted(needs, key=lambda n: (n.start, n.id)):
        best = rank(need, [state[c.id] for c in index.speaking(need.language)], weights, 1)
        if best:
            result[need.id] = best[0].candidate
            state[best[0].candidate] = _booked(state[best[0].candidate], need)
    return result


def total_cost(
    assignment: dict[str, str],
    needs: Sequence[Need],
    candidates: Iterable[Candidate],
    weights: Weights = Weights(),
    unassigned: int = 1000,
) -> int:
    """The cost of an assignment, the same for every solver: its pairs in time order, each
    scored with the volunteer's hours including the appointments she got before in it, plus
    ``unassigned`` points for each appointment left open."""
    state = {c.id: c for c in candidates}
    total = 0
    for need in sorted(needs, key=lambda n: (n.start, n.id)):
        cid = assignment.get(need.id)
        if cid is None:
            total += unassigned
        else:
            total += score(need, state[cid], weights)
            state[cid] = _booked(state[cid], need)
    return total
