"""Every page that shows a person's data writes a "view" entry to the audit log.

Also POSTs that re-render the file or the case page (invalid form, refused operation): the log
must show every read of personal data, not only the GETs.
"""

from __future__ import annotations

import pytest

from tests.cases.test_permission_matrix import MATRIX, POST_DATA, _url, world  # noqa: F401
from wegweiser.audit.models import AuditEntry
from wegweiser.cases.models import Participant

#: Lists (names only, one line per person) are not logged per person; see docs/cases.md.
LISTS = {"cases:start", "cases:inbox", "cases:audit-log", "accounts:organisation-switch"}
#: The public link never shows a person for an invalid token.
SKIP = LISTS | {"cases:link-answer"}


def _bodies(name):
    """An empty (invalid) body, a body with only bad values, and the matrix's body."""
    bad = {key: "ungültig" for key in POST_DATA.get(name, {})}
    return [{}, bad, POST_DATA.get(name, {"version": "1"})]


@pytest.mark.parametrize("role", ["counsellor", "team_lead"])
def test_every_page_with_a_persons_name_is_logged(client, world, role):  # noqa: F811
    names = {}
    for n, person in enumerate(Participant.objects.all()):
        token = f"Qzname{n}x"
        Participant.objects.filter(pk=person.pk).update(family_name=token)
        names[token] = person.pk
    client.force_login(world["users"][role])
    failures = []
    checked = 0
    for name, entry in sorted(
        MATRIX.items(), key=lambda i: (i[0] == "cases:participant-erase", i[0])
    ):
        if name in SKIP:
            continue
        url = _url(name, entry, world["own"])
        for method, data in [("get", None), *(("post", body) for body in _bodies(name))]:
            before = set(AuditEntry.objects.values_list("pk", flat=True))
            response = getattr(client, method)(url, data)
            if response.status_code in (404, 405) or not hasattr(response, "content"):
                continue
            page = response.content.decode(errors="replace")
            for token, pk in names.items():
                if token not in page:
                    continue
                checked += 1
                new = AuditEntry.objects.exclude(pk__in=before).filter(participant_id=pk)
                if not new.exists():
                    failures.append(f"{method.upper()} {name} {data!r}: {response.status_code}")
    assert checked > 20
    assert failures == [], "\n".join(failures)
