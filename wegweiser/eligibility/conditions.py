"""A small typed condition language, evaluated in three-valued (Kleene) logic.

In the rule files a condition is a mapping with exactly one of

- ``all: [cond, ...]`` -- true when every item is true, false when one is false;
- ``any: [cond, ...]`` -- true when one item is true, false when every item is false;
- ``not: cond``;
- ``fact: NAME`` plus one operator: ``eq``, ``ne``, ``lt``, ``lte``, ``gt``, ``gte`` (numbers),
  ``in``, ``not_in`` (a list of values), ``startswith`` (text), ``contains_any`` (list facts).

Anything else otherwise is unknown (``None``). The same tree compiles to a polars expression for
bulk evaluation; polars' boolean ``&``, ``|`` and ``~`` follow the same Kleene logic, with null as
unknown.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from wegweiser.eligibility.facts import FACTS

COMPARISONS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}
OPS_BY_KIND = {
    "bool": {"eq", "ne"},
    "int": {"eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in"},
    "enum": {"eq", "ne", "in", "not_in"},
    "str": {"eq", "ne", "in", "not_in", "startswith"},
    "list": {"contains_any"},
}
ALL_OPS = set(COMPARISONS) | {"in", "not_in", "startswith", "contains_any"}


class ConditionError(ValueError):
    """A malformed condition; the loader adds file and rule."""


class Condition:
    def evaluate(self, facts: dict[str, Any]) -> bool | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_polars(self) -> pl.Expr:  # pragma: no cover - abstract
        raise NotImplementedError

    def facts(self) -> set[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def comparisons(self) -> Iterable[Compare]:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class All(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, facts):
        result: bool | None = True
        for item in self.items:
            value = item.evaluate(facts)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    def to_polars(self):
        expr = self.items[0].to_polars()
        for item in self.items[1:]:
            expr = expr & item.to_polars()
        return expr

    def facts(self):
        return set().union(*(i.facts() for i in self.items))

    def comparisons(self):
        for item in self.items:
            yield from item.comparisons()


@dataclass(frozen=True)
class Any_(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, facts):
        result: bool | None = False
        for item in self.items:
            value = item.evaluate(facts)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    def to_polars(self):
        expr = self.items[0].to_polars()
        for item in self.items[1:]:
            expr = expr | item.to_polars()
        return expr

    def facts(self):
        return set().union(*(i.facts() for i in self.items))

    def comparisons(self):
        for item in self.items:
            yield from item.comparisons()


@dataclass(frozen=True)
class Not(Condition):
    item: Condition

    def evaluate(self, facts):
        value = self.item.evaluate(facts)
        return None if value is None else not value

    def to_polars(self):
        return ~self.item.to_polars()

    def facts(self):
        return self.item.facts()

    def comparisons(self):
        yield from self.item.comparisons()


@dataclass(frozen=True)
class Compare(Condition):
    fact: str
    op: str
    value: Any

    def evaluate(self, facts):
        actual = facts[self.fact]
        if actual is None:
            return None
        if self.op in COMPARISONS:
            return COMPARISONS[self.op](actual, self.value)
        if self.op == "in":
            return actual in self.value
        if self.op == "not_in":
            return actual not in self.value
        if self.op == "startswith":
            return actual.startswith(self.value)
        if self.op == "contains_any":
            return any(v in self.value for v in actual)
        raise AssertionError(self.op)  # pragma: no cover - validated at load

    def to_polars(self):
        col = pl.col(self.fact)
        if self.op in COMPARISONS:
            return COMPARISONS[self.op](col, pl.lit(self.value))
        if self.op == "in":
            return col.is_in(list(self.value))
        if self.op == "not_in":
            return ~col.is_in(list(self.value))
        if self.op == "startswith":
            return col.str.starts_with(self.value)
        if self.op == "contains_any":
            values = list(self.value)
            return col.list.eval(pl.element().is_in(values)).list.any()
        raise AssertionError(self.op)  # pragma: no cover

    def facts(self):
        return {self.fact}

    def comparisons(self):
        yield self


def parse_condition(
    data: Any, *, list_values: dict[str, frozenset[str]] | None = None
) -> Condition:
    """Build and type-check a condition from its data form; raise :class:`ConditionError`.

    ``list_values`` gives the allowed element values of list facts whose values are not fixed in
    the registry (``participations``: the known round ids).
    """
    if not isinstance(data, dict) or len(data) == 0:
        raise ConditionError(f"a condition must be a mapping, got {data!r}")
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        if len(data) != 1:
            raise ConditionError(f"'{key}' cannot be combined with {sorted(set(data) - {key})}")
        items = data[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{key}' needs a non-empty list of conditions")
        parsed = tuple(parse_condition(i, list_values=list_values) for i in items)
        return All(parsed) if key == "all" else Any_(parsed)
    if "not" in data:
        if len(data) != 1:
            raise ConditionError(f"'not' cannot be combined with {sorted(set(data) - {'not'})}")
        return Not(parse_condition(data["not"], list_values=list_values))
    if "fact" not in data:
        raise ConditionError(f"unknown condition {sorted(data)}; use all, any, not or fact")
    name = data["fact"]
    if name not in FACTS:
        raise ConditionError(f"unknown fact '{name}'")
    fact = FACTS[name]
    ops = [k for k in data if k != "fact"]
    if len(ops) != 1:
        raise ConditionError(f"fact '{name}' needs exactly one operator, got {ops}")
    op = ops[0]
    if op not in ALL_OPS:
        raise ConditionError(f"unknown operator '{op}' on fact '{name}'")
    if op not in OPS_BY_KIND[fact.kind]:
        raise ConditionError(f"operator '{op}' does not apply to the {fact.kind} fact '{name}'")
    value = data[op]
    return Compare(name, op, _check_value(fact, op, value, list_values or {}))


def _check_value(fact, op, value, list_values):
    def check_scalar(v):
        if fact.kind == "bool" and not isinstance(v, bool):
            raise ConditionError(f"fact '{fact.name}' compares with true or false, got {v!r}")
        if fact.kind == "int" and (not isinstance(v, int) or isinstance(v, bool)):
            raise ConditionError(f"fact '{fact.name}' compares with a whole number, got {v!r}")
        if fact.kind in ("enum", "str", "list") and not isinstance(v, str):
            raise ConditionError(f"fact '{fact.name}' compares with text, got {v!r}")
        allowed = fact.values or list_values.get(fact.name)
        if fact.kind in ("enum", "list") and allowed and v not in allowed:
            raise ConditionError(f"unknown value '{v}' for fact '{fact.name}'")
        return v

    if op in ("in", "not_in", "contains_any"):
        if not isinstance(value, list) or not value:
            raise ConditionError(f"'{op}' on fact '{fact.name}' needs a non-empty list")
        return frozenset(check_scalar(v) for v in value)
    return check_scalar(value)
