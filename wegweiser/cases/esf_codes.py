"""The answers of the ESF Plus questionnaires as small codes packed into one integer.

The database stores them with each questionnaire as a generated column
(``EsfEntryData.report_codes``, ``EsfExitData.report_codes``), computed when the answers are
written. The reporting app reads the integers instead of comparing every answer of every case
in every report (``reporting/packed.py``, docs/reporting.md "Performance"). A code is 0 for no
value (NULL), 1, 2, … for the known values in the order given here, and the highest code of its
bits for anything else (a report then reads the answers themselves instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, F, Func, Value, When
from django.db.models.functions import Cast

YES_NO_NO_ANSWER = ("yes", "no", "no_answer")


@dataclass(frozen=True)
class Code:
    """One answer in ``bits`` of the packed integer."""

    #: the answer's name in the reporting frame (``reporting.indicators.CASE_SCHEMA``)
    column: str
    bits: int
    values: tuple = ()
    #: integers 0 .. limit - 1 coded as value + 1 (``values`` empty)
    limit: int = 0
    boolean: bool = False
    #: the model's field, where it is named otherwise than the column
    field: str = ""

    @property
    def other(self) -> int:
        return (1 << self.bits) - 1

    @property
    def source(self) -> str:
        return self.field or self.column

    def expression(self) -> Case:
        """The code as a database expression over the questionnaire's own field."""
        name = self.source
        null = When(**{f"{name}__isnull": True}, then=Value(0))
        if self.boolean:
            whens = [When(**{name: True}, then=Value(2)), When(**{name: False}, then=Value(1))]
        elif self.limit:
            inside = {f"{name}__gte": 0, f"{name}__lt": self.limit}
            whens = [When(**inside, then=F(name) + Value(1))]
        else:
            whens = [When(**{name: v}, then=Value(i)) for i, v in enumerate(self.values, 1)]
        return Case(null, *whens, default=Value(self.other), output_field=models.IntegerField())

    def of(self, value) -> int:
        """The code of one answer (what the database computes, for tests and checks)."""
        if value is None:
            return 0
        if self.boolean:
            return 2 if value is True else 1 if value is False else self.other
        if self.limit:
            inside = isinstance(value, int) and 0 <= value < self.limit
            return value + 1 if inside else self.other
        return self.values.index(value) + 1 if value in self.values else self.other


def packed(codes: tuple[Code, ...]) -> models.Expression:
    """The codes side by side in one 64-bit integer, the first in the lowest bits."""
    total, shift = None, 0
    for code in codes:
        term = Cast(code.expression(), models.BigIntegerField())
        if shift:
            term = term * Value(1 << shift, output_field=models.BigIntegerField())
        total = term if total is None else total + term
        shift += code.bits
    return total


def pack(codes: tuple[Code, ...], values: dict) -> int:
    """:func:`packed` computed in Python from ``values`` (field name → answer)."""
    total, shift = 0, 0
    for code in codes:
        total |= code.of(values.get(code.source)) << shift
        shift += code.bits
    return total


#: The entry questionnaire's answers (37 bits).
ENTRY_CODES = (
    Code("gender", 3, ("female", "male", "diverse")),
    Code("employment_status", 3, ("unemployed", "inactive", "employed")),
    Code("long_term_unemployed", 2, boolean=True),
    Code("third_country_national", 2, boolean=True),
    Code("isced_level", 4, limit=14),
    Code("age_at_entry", 8, limit=254),
    Code("foreign_background", 3, YES_NO_NO_ANSWER),
    Code("homeless", 3, YES_NO_NO_ANSWER, field="homeless_or_housing_exclusion"),
    Code("rural", 3, YES_NO_NO_ANSWER, field="rural_area"),
    Code("disability", 3, YES_NO_NO_ANSWER),
    Code("minority", 3, YES_NO_NO_ANSWER),
)
#: The exit questionnaire's situations (15 bits), in the order of EXIT_SITUATIONS.
EXIT_CODES = tuple(
    Code(s, 3, YES_NO_NO_ANSWER)
    for s in ("job_searching", "in_education", "qualification_gained", "employed", "inactive")
)
ENTRY_BITS = sum(c.bits for c in ENTRY_CODES)
EXIT_BITS = sum(c.bits for c in EXIT_CODES)


#: The Kreis key as a number: these for an empty key and one that is not five digits.
KREIS_EMPTY, KREIS_OTHER = -1, -3


class FiveDigits(Func):
    """True when the text is five digits (a Kreis key), in each database's own terms."""

    output_field = models.BooleanField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s ~ '^[0-9]{5}$')")

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "(%(expressions)s GLOB '[0-9][0-9][0-9][0-9][0-9]')"
        return self.as_sql(compiler, connection, template=template)


def kreis_number(field: str = "kreis") -> Case:
    """The Kreis key of ``field`` as a number (``06411`` → 6411), or KREIS_EMPTY / KREIS_OTHER."""
    return Case(
        When(**{field: ""}, then=Value(KREIS_EMPTY)),
        When(FiveDigits(field), then=Cast(field, models.IntegerField())),
        default=Value(KREIS_OTHER),
        output_field=models.IntegerField(),
    )


def kreis_number_of(key: str) -> int:
    """:func:`kreis_number` computed in Python."""
    if key == "":
        return KREIS_EMPTY
    return int(key) if len(key) == 5 and key.isascii() and key.isdigit() else KREIS_OTHER
