"""A self-check contact in case management (issue 11): the reference number on the case and
person pages, found by the person search; the ESF questionnaire's refusal names what is
missing and links to it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wegweiser.cases import services
from wegweiser.cases.errors import MissingData
from wegweiser.cases.models import EsfEntryData
from wegweiser.directory.models import Offer
from wegweiser.public.services import contact_request_create


@pytest.fixture
def own_offer(org_a):
    return Offer.objects.create(
        organisation=org_a, name={"de": "Beratung A"}, status=Offer.PUBLISHED
    )


@pytest.fixture
def request_(own_offer, counsellor):
    return contact_request_create(
        offer=own_offer,
        name="Hana Vorlage",
        phone="0151 2345678",
        language="ar",
        shared={
            "gender": "female",
            "residence": {"title": "aufenthaltserlaubnis", "section": "25(2)"},
        },
    )


@pytest.fixture
def signed_in(client, counsellor):
    client.force_login(counsellor)
    return client


def test_the_reference_is_on_the_case_and_the_person_page(signed_in, request_):
    case_page = signed_in.get(reverse("cases:case", kwargs={"case_id": request_.case_id}))
    html = case_page.content.decode()
    assert case_page.status_code == 200
    origin = html.split('id="origin-heading"')[1].split("</section>")[0]
    assert request_.reference in origin and "Beratung A" in origin and "Arabisch" in origin
    assert "Aufenthaltserlaubnis" in origin and "25(2)" in origin
    person_page = signed_in.get(
        reverse("cases:participant", kwargs={"participant_id": request_.participant_id})
    )
    assert request_.reference in person_page.content.decode()


@pytest.mark.parametrize(
    "typed",
    ["{ref}", "{lower}", "{nodash}", " {ref} ", "Hana", "vorlage", "Hana Vorlage", "{pseudonym}"],
)
def test_the_person_search_finds_her_by_reference_name_or_pseudonym(signed_in, request_, typed):
    ref = request_.reference
    query = typed.format(
        ref=ref,
        lower=ref.lower(),
        nodash=ref.replace("-", ""),
        pseudonym=request_.participant.pseudonym,
    )
    html = signed_in.get(reverse("cases:start"), {"q": query}).content.decode()
    people = html.split('id="people-heading"')[1].split("</section>")[0]
    assert "Hana Vorlage" in people, query


@pytest.mark.parametrize("typed", ["SC-2222-2222", "Hana Fremd", "TN-2222-2222"])
def test_the_search_finds_nobody_for_other_numbers_or_names(signed_in, request_, typed):
    html = signed_in.get(reverse("cases:start"), {"q": typed}).content.decode()
    people = html.split('id="people-heading"')[1].split("</section>")[0]
    assert "Hana Vorlage" not in people and "Keine Personen gefunden" in people


def test_another_organisations_reference_finds_nothing(client, request_, counsellor_b):
    client.force_login(counsellor_b)
    html = client.get(reverse("cases:start"), {"q": request_.reference}).content.decode()
    assert "Hana" not in html


def test_the_esf_refusal_names_each_missing_fact_and_links_to_it(signed_in, request_):
    case = request_.case
    url = reverse("cases:esf-entry", kwargs={"case_id": case.pk})
    response = signed_in.post(
        url,
        {
            "collected_on": "2026-01-05",
            "version": "0",
            "employment_status": "unemployed",
            "long_term_unemployed": "no",
            "isced_level": "3",
            "foreign_background": "yes",
            "homeless_or_housing_exclusion": "no",
            "rural_area": "no",
            "disability": "no_answer",
            "minority": "no_answer",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert "Geburtsdatum" in summary and "Staatsangehörigkeiten" in summary
    assert "Geschlecht" not in summary  # she sent it along
    edit = reverse("cases:participant-edit", kwargs={"participant_id": case.participant_id})
    assert f'href="{edit}#id_date_of_birth"' in summary
    assert f'href="{edit}#id_citizenships"' in summary
    assert not EsfEntryData.objects.exists()
    # the anchors exist on the edit form
    form = signed_in.get(edit).content.decode()
    assert 'id="id_date_of_birth"' in form and 'id="id_citizenships"' in form


def test_the_service_lists_missing_answers_by_field(request_, counsellor):
    with pytest.raises(MissingData) as error:
        services.esf_entry_save(request_.case, by=counsellor, employment_status="inactive")
    assert [name for name, _where in error.value.missing] == list(EsfEntryData.REQUIRED_ANSWERS[1:])
    assert {where for _name, where in error.value.missing} == {"form"}
    assert "höchster Bildungsabschluss (ISCED)" in str(error.value)
