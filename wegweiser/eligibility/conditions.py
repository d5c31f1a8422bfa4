"""A small typed condition language, evaluated in three-valued (Kleene) logic.

In the rule files a condition is a mapping with exactly one of

- ``all: [cond, ...]`` -- true when every item is true, false when one is false;
- ``any: [cond, ...]`` -- true when one item is true, false when every item is false;
- ``not: cond``;
- ``fact: NAME`` plus one operator: ``eq``, ``ne``, ``lt``, ``lte``, ``gt``, ``gte`` (numbers),
  ``in``, ``not_in`` (a list of values), ``startswith`` (text), ``contains_any`` (list facts).

A comparison with an unknown fact is unknown (``None``). The same tree compiles to a polars
expression for bulk evaluation; polars' boolean ``&``, ``|`` and ``~`` follow the same Kleene logic,
with null as unknown.

The derived facts of the registry (``wegweiser.eligibility.registry``) are written in the same
language with two additions that rules may not use, as they decide on what is *not* known:

- ``fact: NAME, known: true|false`` -- whether the fact is known (never unknown itself);
- ``cases: [{when: cond, then: VALUE}, ...], else: VALUE`` -- the first case whose ``when`` is
  true gives the value (an unknown ``when`` counts as not true, as in polars' ``when``); ``VALUE``
  is ``true``, ``false``, ``null`` (unknown) or a condition.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import polars as pl

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


class FactType(Protocol):
    """What the language needs to know of a fact (``registry.Fact`` has it)."""

    name: str
    kind: str
    values: tuple[str, ...]


Evaluator = Callable[[Mapping[str, Any]], "bool | None"]


class Condition:
    @functools.cached_property
    def evaluate(self) -> Evaluator:
        """``evaluate(facts)``: true, false or ``None`` (unknown) on a mapping of the facts.

        Compiled once into nested closures (the single check evaluates the same conditions many
        times: every derived fact and rule of every round, for each trial answer of
        ``next_question``).
        """
        return self._compile()

    def _compile(self) -> Evaluator:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_polars(self) -> pl.Expr:  # pragma: no cover - abstract
        raise NotImplementedError

    def facts(self) -> set[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def comparisons(self) -> Iterable[Compare]:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class _Junction(Condition):
    """``all`` (one false item decides) or ``any`` (one true item decides); otherwise unknown if
    an item is unknown (Kleene)."""

    items: tuple[Condition, ...]
    decisive: ClassVar[bool]

    def _compile(self):
        items = [item.evaluate for item in self.items]
        decisive, otherwise = self.decisive, not self.decisive

        def evaluate(facts):
            result: bool | None = otherwise
            for item in items:
                value = item(facts)
                if value is decisive:
                    return decisive
                if value is None:
                    result = None
            return result

        return evaluate

    def to_polars(self):
        join = operator.or_ if self.decisive else operator.and_
        return functools.reduce(join, (item.to_polars() for item in self.items))

    def facts(self):
        return set().union(*(i.facts() for i in self.items))

    def comparisons(self):
        for item in self.items:
            yield from item.comparisons()


@dataclass(frozen=True)
class All(_Junction):
    decisive = False


@dataclass(frozen=True)
class Any_(_Junction):
    decisive = True


@dataclass(frozen=True)
class Not(Condition):
    item: Condition

    def _compile(self):
        item = self.item.evaluate

        def evaluate(facts):
            value = item(facts)
            return None if value is None else not value

        return evaluate

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

    def _compile(self):
        name, op, value = self.fact, self.op, self.value
        if op == "eq":  # the most frequent, without a further call

            def evaluate(facts):
                actual = facts[name]
                return None if actual is None else actual == value

            return evaluate
        if op in COMPARISONS:
            compare = COMPARISONS[op]

            def test(actual):
                return compare(actual, value)
        elif op == "in":
            test = value.__contains__
        elif op == "not_in":

            def test(actual):
                return actual not in value
        elif op == "startswith":

            def test(actual):
                return actual.startswith(value)
        elif op == "contains_any":

            def test(actual):
                return not value.isdisjoint(actual)
        else:  # pragma: no cover - validated at load
            raise AssertionError(op)

        def evaluate(facts):
            actual = facts[name]
            return None if actual is None else test(actual)

        return evaluate

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


@dataclass(frozen=True)
class Known(Condition):
    """Derived facts only: is ``fact`` known (``value`` true) or unknown (``value`` false)?"""

    fact: str
    value: bool

    def _compile(self):
        name, value = self.fact, self.value

        def evaluate(facts):
            return (facts[name] is not None) is value

        return evaluate

    def to_polars(self):
        col = pl.col(self.fact)
        return col.is_not_null() if self.value else col.is_null()

    def facts(self):
        return {self.fact}

    def comparisons(self):
        return iter(())


#: The value of a case: a condition, or a constant (``None``: unknown).
Value = Condition | bool | None


def _value_evaluator(value: Value) -> Evaluator:
    if isinstance(value, Condition):
        return value.evaluate
    return lambda facts: value


def _value_expr(value: Value) -> pl.Expr:
    return value.to_polars() if isinstance(value, Condition) else pl.lit(value, dtype=pl.Boolean)


@dataclass(frozen=True)
class Cases(Condition):
    """Derived facts only: the value of the first case whose ``when`` is true, else ``default``."""

    cases: tuple[tuple[Condition, Value], ...]
    default: Value

    def _compile(self):
        cases = [(when.evaluate, _value_evaluator(then)) for when, then in self.cases]
        default = _value_evaluator(self.default)

        def evaluate(facts):
            for when, then in cases:
                if when(facts) is True:
                    return then(facts)
            return default(facts)

        return evaluate

    def to_polars(self):
        (when, then), *rest = self.cases
        expr = pl.when(when.to_polars()).then(_value_expr(then))
        for when, then in rest:
            expr = expr.when(when.to_polars()).then(_value_expr(then))
        return expr.otherwise(_value_expr(self.default))

    def _parts(self) -> list[Condition]:
        values = [v for _, v in self.cases] + [self.default]
        return [w for w, _ in self.cases] + [v for v in values if isinstance(v, Condition)]

    def facts(self):
        return set().union(*(c.facts() for c in self._parts()))

    def comparisons(self):
        for part in self._parts():
            yield from part.comparisons()


def parse_condition(
    data: Any,
    *,
    facts: Mapping[str, FactType],
    list_values: dict[str, frozenset[str]] | None = None,
    derived: bool = False,
) -> Condition:
    """Build and type-check a condition from its data form; raise :class:`ConditionError`.

    ``facts`` are the facts it may test (``registry.FACTS``). ``list_values`` gives the allowed
    element values of list facts whose values are not fixed in the registry
    (``participations``: the known round ids). ``derived`` allows ``known`` and ``cases``, the
    additions for the definitions of derived facts.
    """

    def sub(item: Any) -> Condition:
        return parse_condition(item, facts=facts, list_values=list_values, derived=derived)

    if not isinstance(data, dict) or len(data) == 0:
        raise ConditionError(f"a condition must be a mapping, got {data!r}")
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        if len(data) != 1:
            raise ConditionError(f"'{key}' cannot be combined with {sorted(set(data) - {key})}")
        items = data[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{key}' needs a non-empty list of conditions")
        parsed = tuple(sub(i) for i in items)
        return All(parsed) if key == "all" else Any_(parsed)
    if "not" in data:
        if len(data) != 1:
            raise ConditionError(f"'not' cannot be combined with {sorted(set(data) - {'not'})}")
        return Not(sub(data["not"]))
    if derived and "cases" in data:
        return _parse_cases(data, sub)
    if "fact" not in data:
        raise ConditionError(f"unknown condition {sorted(data)}; use all, any, not or fact")
    name = data["fact"]
    if name not in facts:
        raise ConditionError(f"unknown fact '{name}'")
    fact = facts[name]
    ops = [k for k in data if k != "fact"]
    if len(ops) != 1:
        raise ConditionError(f"fact '{name}' needs exactly one operator, got {ops}")
    op = ops[0]
    if derived and op == "known":
        if not isinstance(data[op], bool):
            raise ConditionError(f"'known' on fact '{name}' takes true or false")
        return Known(name, data[op])
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


def _parse_cases(data: dict, sub) -> Cases:
    if set(data) - {"cases", "else"}:
        raise ConditionError(f"'cases' cannot be combined with {sorted(set(data) - {'cases'})}")
    items = data["cases"]
    if not isinstance(items, list) or not items:
        raise ConditionError("'cases' needs a non-empty list of {when, then}")

    def value(v: Any) -> Value:
        return v if v is None or isinstance(v, bool) else sub(v)

    cases = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"when", "then"}:
            raise ConditionError(f"a case needs exactly 'when' and 'then', got {item!r}")
        cases.append((sub(item["when"]), value(item["then"])))
    return Cases(tuple(cases), value(data.get("else")))
