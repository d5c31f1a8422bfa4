"""Remove the parts of a page or mail that are random on every run (ids, numbers read from ids,
tokens, mail headers), so that a test asserting "this person's data is not here" cannot fail by
chance: a referral's number ``UW-C9DF-NTSY`` holds "SY", a UUID or a Message-ID may hold "1995"."""

from __future__ import annotations

import re

RANDOM_PARTS = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # UUIDs
    # numbers read from random ids (referrals, contact requests); not pseudonyms (TN-…), which
    # a test must still find where they leak
    r"|\b(?:UW|SC)-[2-9A-Z]{4}-[2-9A-Z]{4}\b"
    r"|^(?:Message-ID|Date):.*$"  # mail headers
    r"|(?<=csrfmiddlewaretoken\" value=\")[^\"]+"  # form tokens
    r"|(?<=\"X-CSRFToken\": \")[^\"]+"
    r"|(?<=nonce=\")[^\"]+"  # CSP nonces
    r"|(?<=/antwort/)[^/\"]+",  # a referral link's token (also in the login form's "next")
    re.MULTILINE,
)


def without_random_parts(text: str) -> str:
    return RANDOM_PARTS.sub("", text)
