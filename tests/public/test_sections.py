"""The paragraphs of the residence question are listed in the order of the law, so that a person
finds "§ 25 Abs. 2" between "§ 25 Abs. 1" and "§ 25 Abs. 3"."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from wegweiser.public.questions import _section_sort, section_choices


def test_humanitarian_paragraphs_first_in_the_order_of_the_law():
    keys = [key for key, _label in section_choices("aufenthaltserlaubnis")]
    assert keys[:13] == [
        "22", "23(1)", "23(2)", "23(4)", "23a", "24",
        "25(1)", "25(2)", "25(3)", "25(4)", "25(5)", "25a", "25b",
    ]  # fmt: skip
    rest = keys[13:]
    numbers = [int(re.match(r"\d+", k).group()) for k in rest]
    assert numbers == sorted(numbers) and rest[0] == "16a" and rest[-1] == "104c"


def test_duldung_paragraphs():
    assert [k for k, _ in section_choices("duldung")] == ["60a", "60b", "60c", "60d"]


sections = st.builds(
    lambda n, letter, sub: f"{n}{letter}" + (f"({sub})" if sub else ""),
    st.integers(1, 120),
    st.sampled_from(["", "a", "b", "c"]),
    st.one_of(st.none(), st.integers(1, 9)),
)


@given(st.lists(sections, min_size=2, max_size=12, unique=True))
def test_a_paragraph_comes_before_its_lettered_successor_and_after_a_smaller_one(items):
    ordered = sorted(items, key=_section_sort)
    parsed = [re.fullmatch(r"(\d+)([a-z]*)(?:\((\d+)\))?", s).groups() for s in ordered]
    keys = [(int(n), letter, int(sub or 0)) for n, letter, sub in parsed]
    assert keys == sorted(keys)
