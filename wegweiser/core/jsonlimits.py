"""Limits on JSON that arrives from outside: how deeply it may nest.

Python's ``json`` parser recurses once per level of nesting: a document nested about a thousand
levels deep raises ``RecursionError`` (a server error) instead of a parse error, and even a
shallower one can make the code that walks the parsed data recurse too deep. :func:`depth`
measures the nesting in one pass over the text, without parsing and without recursion, so a
request can be refused before it is parsed. No document wegweiser accepts needs more than a few
levels (an eligibility profile: four); :data:`MAX_DEPTH` leaves generous room.
"""

from __future__ import annotations

import re

#: The deepest nesting of objects and arrays accepted in a request (documented in docs/api.md).
MAX_DEPTH = 32


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    """The JSON text nests objects and arrays deeper than allowed."""

    def __init__(self, limit: int):
        super().__init__(f"nested deeper than {limit} levels")
        self.limit = limit


def depth(text: str | bytes, stop_above: int | None = None) -> int:
    """The deepest nesting of ``[`` and ``{`` in a JSON text (0 for a scalar), ignoring brackets
    inside strings. Stops counting as soon as ``stop_above`` is exceeded. Malformed text gets a
    number too; the parser judges it afterwards."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    deepest = level = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        if bracket in "[{":
            level += 1
            if level > deepest:
                deepest = level
                if stop_above is not None and deepest > stop_above:
                    break
        else:
            level -= 1
    return deepest


def check_depth(text: str | bytes, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`TooDeep` if ``text`` nests deeper than ``limit``."""
    if depth(text, stop_above=limit) > limit:
        raise TooDeep(limit)
