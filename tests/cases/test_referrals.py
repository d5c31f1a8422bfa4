"""Referrals: consent before sending, the receiver's inbox, answers, expiry, single-use links."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.cases import selectors, services
from wegweiser.cases.errors import (
    ConsentMissing,
    InvalidData,
    NotAllowed,
    ReferralLinkInvalid,
    TransitionNotAllowed,
)
from wegweiser.cases.models import ConsentPurpose, Referral, ReferralLink, SharedField
from wegweiser.cases.services import referrals_received
from wegweiser.directory.models import Offer


@pytest.fixture
def draft(active_case, counsellor, offer_b):
    return services.referral_create(
        active_case, by=counsellor, offer=offer_b, message="Bitte um Rückruf"
    )


@pytest.fixture
def sent(draft, counsellor, sharing_consent):
    return services.referral_send(draft, by=counsellor)


def test_referral_cannot_be_sent_without_consent(draft, counsellor):
    with pytest.raises(ConsentMissing) as error:
        services.referral_send(draft, by=counsellor)
    assert "Partner B" in str(error.value)
    assert Referral.objects.get(pk=draft.pk).status == "draft"


def test_consent_for_another_recipient_does_not_count(draft, counsellor, participant, org_c):
    services.consent_record(
        participant,
        by=counsellor,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=org_c,
        shared_fields=[SharedField.NAME],
        given_on=dt.date(2025, 6, 1),
        text_version="2025-01",
        channel="oral",
    )
    services.consent_record(
        participant,
        by=counsellor,
        purpose=ConsentPurpose.COUNSELLING,
        given_on=dt.date(2025, 6, 1),
        text_version="2025-01",
        channel="oral",
    )
    with pytest.raises(ConsentMissing):
        services.referral_send(draft, by=counsellor)


def test_withdrawn_consent_blocks_sending(draft, counsellor, sharing_consent, participant, org_b):
    assert selectors.has_consent(participant, "referral_sharing", recipient=org_b)
    services.consent_withdraw(sharing_consent, by=counsellor)
    assert not selectors.has_consent(participant, "referral_sharing", recipient=org_b)
    with pytest.raises(ConsentMissing):
        services.referral_send(draft, by=counsellor)
    assert AuditEntry.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).count() == 1


def test_has_consent_respects_dates(participant, sharing_consent, org_b):
    assert not selectors.has_consent(
        participant, "referral_sharing", recipient=org_b, on=dt.date(2025, 5, 31)
    )
    assert selectors.has_consent(
        participant, "referral_sharing", recipient=org_b, on=dt.date(2025, 6, 1)
    )
    assert not selectors.has_consent(participant, "referral_sharing", on=dt.date(2025, 6, 1))


def test_sharing_consent_needs_recipient_and_fields(participant, counsellor, org_b):
    with pytest.raises(InvalidData):
        services.consent_record(
            participant,
            by=counsellor,
            purpose=ConsentPurpose.REFERRAL_SHARING,
            recipient=org_b,
            given_on=dt.date(2025, 6, 1),
            text_version="1",
            channel="written",
        )
    with pytest.raises(InvalidData):
        services.consent_record(
            participant,
            by=counsellor,
            purpose=ConsentPurpose.ESF_REPORTING,
            recipient=org_b,
            given_on=dt.date(2025, 6, 1),
            text_version="1",
            channel="written",
        )


def test_inbox_shows_only_consented_fields(sent, counsellor_b, org_b):
    (item,) = selectors.referrals_inbox(counsellor_b, org_b)
    assert isinstance(item, selectors.InboxReferral)
    assert item.person == {"name": "Amina Haddad", "phone": "0151 000000"}
    assert item.sending_organisation == "Träger A"
    assert item.offer_name == "Sprachkurs B"
    assert item.consent_valid
    assert item.expires_at == sent.sent_at + dt.timedelta(days=14)
    as_dict = dataclasses.asdict(item)
    # random ids, the number read from one, and timestamps may by chance hold "SY" or "1995"
    random = {"id", "offer_id", "number", "sent_at", "expires_at", "receiver_case_id"}
    text = repr({key: value for key, value in as_dict.items() if key not in random})
    for secret in ("amina@example.org", "1995", "SY", "25(2)", "TN-"):
        assert secret not in text
    assert item.number == sent.number and item.number.startswith("UW-")
    assert "participant" not in as_dict and "case" not in as_dict


def test_inbox_get_is_logged_and_scoped(sent, counsellor_b, org_b, counsellor, org_a):
    view = selectors.referral_inbox_get(counsellor_b, org_b, sent.pk)
    assert set(view.person) == {"name", "phone"}
    entry = AuditEntry.objects.filter(action=AuditAction.REFERRAL_VIEWED).latest("id")
    assert (entry.actor, entry.organisation) == (counsellor_b, org_b)
    assert entry.detail == {"fields": ["name", "phone"]}
    # The sender is not the receiver: its inbox has nothing, the same id answers DoesNotExist.
    assert selectors.referrals_inbox(counsellor, org_a) == []
    with pytest.raises(Referral.DoesNotExist):
        selectors.referral_inbox_get(counsellor, org_a, sent.pk)


def test_withdrawn_consent_hides_the_person_at_once(
    sent, sharing_consent, counsellor, counsellor_b, org_b
):
    services.consent_withdraw(sharing_consent, by=counsellor)
    (item,) = selectors.referrals_inbox(counsellor_b, org_b)
    assert item.person == {} and not item.consent_valid and item.message == ""


def test_drafts_are_not_in_the_inbox(draft, counsellor_b, org_b):
    assert selectors.referrals_inbox(counsellor_b, org_b) == []


def test_outbox_of_the_sender(sent, draft, counsellor, org_a, counsellor_b, org_b):
    assert list(selectors.referrals_outbox(counsellor, org_a)) == [sent]
    assert list(selectors.referrals_outbox(counsellor_b, org_b)) == []


def test_accept_and_complete_by_the_receiver(sent, counsellor_b, counsellor):
    with pytest.raises(NotAllowed):
        services.referral_accept(sent, by=counsellor)
    services.referral_accept(sent, by=counsellor_b)
    services.referral_complete(sent, by=counsellor_b, outcome="support_given")
    sent.refresh_from_db()
    assert sent.status == "completed" and sent.outcome == "support_given"
    assert sent.answered_at and sent.closed_at


def test_refusal_needs_a_reason(sent, counsellor_b):
    with pytest.raises(InvalidData):
        services.referral_refuse(sent, by=counsellor_b, reason="")
    with pytest.raises(InvalidData):
        services.referral_refuse(sent, by=counsellor_b, reason="other")
    services.referral_refuse(sent, by=counsellor_b, reason="no_capacity")
    assert Referral.objects.get(pk=sent.pk).refusal_reason == "no_capacity"
    with pytest.raises(TransitionNotAllowed):
        services.referral_accept(sent, by=counsellor_b)


def test_withdrawn_by_the_sender(sent, counsellor, counsellor_b, org_b):
    with pytest.raises(NotAllowed):
        services.referral_withdraw(sent, by=counsellor_b)
    services.referral_withdraw(sent, by=counsellor)
    (item,) = selectors.referrals_inbox(counsellor_b, org_b)
    assert item.status == "withdrawn" and item.person == {}


def test_only_to_published_offers_of_other_organisations(active_case, counsellor, org_a, org_b):
    own = Offer.objects.create(organisation=org_a, name={"de": "x"}, status=Offer.PUBLISHED)
    draft_offer = Offer.objects.create(organisation=org_b, name={"de": "y"})
    for offer in (own, draft_offer):
        with pytest.raises(InvalidData):
            services.referral_create(active_case, by=counsellor, offer=offer)


# --- expiry --------------------------------------------------------------------------------------


def test_unanswered_referrals_expire_after_14_days(sent, counsellor_b):
    now = sent.sent_at + dt.timedelta(days=13, hours=23)
    assert services.referrals_expire(now=now) == 0
    assert services.referrals_expire(now=sent.sent_at + dt.timedelta(days=14)) == 1
    sent.refresh_from_db()
    assert sent.status == "expired"
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_EXPIRED).count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.referral_accept(sent, by=counsellor_b)


@override_settings(WEGWEISER_REFERRAL_EXPIRY_DAYS=3)
def test_expiry_is_a_setting_and_blocks_late_answers(sent, counsellor_b):
    Referral.objects.filter(pk=sent.pk).update(sent_at=timezone.now() - dt.timedelta(days=3))
    sent.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.referral_accept(sent, by=counsellor_b)
    assert services.referrals_expire() == 1


# --- links for partners without an account -------------------------------------------------------


def test_link_is_stored_hashed_and_single_use(sent, counsellor):
    link, token = services.referral_link_create(sent, by=counsellor)
    assert token not in link.token_hash and len(link.token_hash) == 64
    assert abs(link.expires_at - link.created_at - dt.timedelta(days=8)) < dt.timedelta(seconds=1)
    view = services.referral_link_view(token)
    assert view.person == {"name": "Amina Haddad", "phone": "0151 000000"}
    services.referral_link_view(token)  # looking does not use it up
    services.referral_answer_by_link(token, accept=True)
    assert Referral.objects.get(pk=sent.pk).status == "accepted"
    assert ReferralLink.objects.get(pk=link.pk).used_at is not None
    with pytest.raises(ReferralLinkInvalid):
        services.referral_answer_by_link(token, accept=False, reason="no_capacity")
    with pytest.raises(ReferralLinkInvalid):
        services.referral_link_view(token)
    answered = AuditEntry.objects.get(action=AuditAction.REFERRAL_ANSWERED)
    assert answered.actor is None and answered.detail["by_link"] is True


def test_link_expires_after_8_days(sent, counsellor):
    link, token = services.referral_link_create(sent, by=counsellor)
    ReferralLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(ReferralLinkInvalid):
        services.referral_link_view(token)
    with pytest.raises(ReferralLinkInvalid):
        services.referral_answer_by_link(token, accept=True)
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_link_just_before_expiry_works(sent, counsellor):
    link, token = services.referral_link_create(sent, by=counsellor)
    ReferralLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8) + dt.timedelta(minutes=1),
        expires_at=timezone.now() + dt.timedelta(minutes=1),
    )
    services.referral_answer_by_link(token, accept=False, reason="not_reachable")
    assert Referral.objects.get(pk=sent.pk).status == "refused"


def test_unknown_token_and_draft_link(draft, counsellor):
    with pytest.raises(ReferralLinkInvalid):
        services.referral_link_view("not-a-token")
    with pytest.raises(TransitionNotAllowed):
        services.referral_link_create(draft, by=counsellor)


def test_failed_answer_does_not_use_up_the_link(sent, counsellor):
    link, token = services.referral_link_create(sent, by=counsellor)
    with pytest.raises(InvalidData):
        services.referral_answer_by_link(token, accept=False, reason="")
    assert ReferralLink.objects.get(pk=link.pk).used_at is None
    services.referral_answer_by_link(token, accept=True)


def test_expire_command(sent):
    from io import StringIO

    from django.core.management import call_command

    Referral.objects.filter(pk=sent.pk).update(sent_at=timezone.now() - dt.timedelta(days=15))
    out = StringIO()
    call_command("expire_referrals", stdout=out)
    assert out.getvalue().strip() == "1 referral(s) expired"
    assert Referral.objects.get(pk=sent.pk).status == "expired"


# --- what the receiver sees after the referral is answered, and the message ----------------------


@pytest.mark.parametrize("end", ["refused", "completed"])
def test_receiver_no_longer_sees_the_person_once_refused_or_completed(
    sent, counsellor_b, org_b, end
):
    if end == "refused":
        services.referral_refuse(sent, by=counsellor_b, reason="no_capacity")
    else:
        services.referral_accept(sent, by=counsellor_b)
        (item,) = selectors.referrals_inbox(counsellor_b, org_b)
        assert item.person  # accepted: still working with the person
        services.referral_complete(sent, by=counsellor_b, outcome="support_given")
    (item,) = selectors.referrals_inbox(counsellor_b, org_b)
    assert item.status == end and item.person == {} and item.message == ""
    assert selectors.referral_inbox_get(counsellor_b, org_b, sent.pk).person == {}


def test_message_is_not_shared_without_consent_for_it(sent, counsellor_b, org_b):
    (item,) = selectors.referrals_inbox(counsellor_b, org_b)
    assert item.person and item.message == ""


def test_message_is_shared_when_the_consent_covers_it(
    active_case, counsellor, participant, org_b, offer_b, counsellor_b
):
    services.consent_record(
        participant,
        by=counsellor,
        purpose=ConsentPurpose.REFERRAL_SHARING,
        recipient=org_b,
        shared_fields=[SharedField.NAME, SharedField.MESSAGE],
        given_on=dt.date(2025, 6, 1),
        text_version="2025-01",
        channel="written",
    )
    referral = services.referral_create(
        active_case, by=counsellor, offer=offer_b, message="Bitte um Rückruf"
    )
    services.referral_send(referral, by=counsellor)
    (item,) = selectors.referrals_inbox(counsellor_b, org_b)
    assert item.message == "Bitte um Rückruf" and item.person == {"name": "Amina Haddad"}
    services.referral_withdraw(referral, by=counsellor)
    (item,) = selectors.referrals_inbox(counsellor_b, org_b)
    assert item.message == "" and item.person == {}


def test_link_race_two_answers_at_once_only_one_counts(sent, counsellor):
    """Both requests pass the check before either uses the link: the compare-and-swap on
    ``used_at`` lets only the first through; the second changes nothing."""
    from unittest import mock

    link, token = services.referral_link_create(sent, by=counsellor)
    seen_by_second = referrals_received._usable_link(token, timezone.now())  # checked, not yet used
    services.referral_answer_by_link(token, accept=True)
    with (
        mock.patch.object(referrals_received, "_usable_link", return_value=seen_by_second),
        pytest.raises(ReferralLinkInvalid),
    ):
        services.referral_answer_by_link(token, accept=False, reason="no_capacity")
    referral = Referral.objects.get(pk=sent.pk)
    assert (referral.status, referral.refusal_reason) == ("accepted", "")
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_ANSWERED).count() == 1


def test_two_links_of_one_referral_answer_once(sent, counsellor):
    _, first = services.referral_link_create(sent, by=counsellor)
    _, second = services.referral_link_create(sent, by=counsellor)
    services.referral_answer_by_link(first, accept=True)
    with pytest.raises(ReferralLinkInvalid):
        services.referral_answer_by_link(second, accept=False, reason="no_capacity")
    assert Referral.objects.get(pk=sent.pk).status == "accepted"
