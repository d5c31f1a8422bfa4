"""The demo step: calls, applications in every state, payments, a Verwendungsnachweis, two
logins; idempotent."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from wegweiser.funding import demo
from wegweiser.funding.models import Application, Payment, ProofOfUse, Status


def test_demo_has_every_state_and_is_idempotent(demo_directory):
    result = demo.setup()
    assert result is not None and result.created
    assert set(Application.objects.values_list("status", flat=True)) == set(Status.values)
    assert Payment.objects.exists()
    assert ProofOfUse.objects.filter(state="accepted").count() == 1
    assert result.authority.name.endswith("(Demo)")
    assert all(a.organisation.name.endswith("(Demo)") for a in Application.objects.all())
    users = get_user_model().objects
    assert users.get(username="demo-antrag").check_password(result.passwords["demo-antrag"])
    assert users.get(username="demo-rp").check_password(result.passwords["demo-rp"])
    count = Application.objects.count()
    again = demo.setup()
    assert again.created == 0 and Application.objects.count() == count


def test_demo_network_shows_counts_and_is_idempotent(demo_directory):
    """After the case management's demo: the referral partner joins the Verbund, seven more
    accepted referrals; the network page's table shows 10 sent and 8 accepted, the single
    refused and the single open one hidden."""
    from wegweiser.cases import demo as cases_demo
    from wegweiser.funding import demo_network, network

    assert cases_demo.setup() is not None
    result = demo_network.setup()
    assert result is not None and result.created == 7
    table = network.referral_table(result.project, limit=5)
    assert [row[2] for row in table.rows] == [[10, 8, None, None, 0]]
    assert table.total == [10, 8, None, None, 0]
    assert demo_network.setup().created == 0
    assert network.referral_table(result.project, limit=5).total == table.total


def test_the_receipts_of_a_proof_read_in_the_pages_language(client, demo_directory):
    """The authority's page of an application with its Verwendungsnachweis: receipts dated and
    priced as German writes them ("31.03.2025", "11.000,00 €"), not as stored ("2025-03-31",
    "11000"); the state is not said twice ("eingereicht, eingereicht am")."""
    import re

    result = demo.setup()
    proof = next(p for p in ProofOfUse.objects.select_related("application") if p.receipts)
    client.force_login(get_user_model().objects.get(username="demo-rp"))
    assert result.passwords  # the authority's login exists
    html = client.get(f"/de/foerderung/antrag/{proof.application.pk}/").content.decode()
    items = re.findall(r"<li>([^<]* – [^<]* – [^<]*€)</li>", html)
    assert items, html[:200]
    for item in items:
        assert re.match(r"\d\d\.\d\d\.\d{4} – .+ – \d{1,3}(\.\d{3})*,\d\d €$", item), item
    assert "eingereicht, eingereicht am" not in html
