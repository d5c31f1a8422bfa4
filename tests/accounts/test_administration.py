"""The platform administration: organisations, invitations, roles, active accounts.

Every service rule with its refusal (a refusal changes nothing, audit log included), the
invitation mail through Django's mail framework (sent after the commit, nothing personal but the
user name), the single-use expiring link, and the pages (403 for every other role, translated
errors, no participant data).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from wegweiser.accounts import services
from wegweiser.accounts.models import Membership, Role
from wegweiser.accounts.tokens import InvitationTokenGenerator
from wegweiser.audit.models import AuditAction, AuditEntry
from wegweiser.organisations.models import Organisation

pytestmark = pytest.mark.django_db

BASE = "https://wegweiser.example.org"
PASSWORD = "Ein-langes-Passwort-2026"
LINK = re.compile(r"https://wegweiser\.example\.org/\w\w/konto/einladung/\S+/")
User = get_user_model()


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="Beratung A", kind="beratungsstelle")


@pytest.fixture
def other_org(db):
    return Organisation.objects.create(name="Träger B", kind="wohlfahrtsverband")


def make(username, org, *roles, email="", password=PASSWORD):
    user = User.objects.create_user(username, email=email, password=password)
    for role in roles:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def admin(org):
    return make("plattform", org, Role.PLATFORM_ADMIN)


@pytest.fixture
def counsellor(org):
    return make("beratung", org, Role.COUNSELLOR, email="beratung@example.org")


def snapshot() -> dict:
    models = [*apps.get_app_config("cases").get_models(), Membership, User, Organisation]
    return {
        m._meta.label: [repr(sorted(r.items())) for r in m.objects.order_by("pk").values()]
        for m in models
    }


def invite(by, organisation, email="neu@example.org", roles=("counsellor",), language="de"):
    return services.member_invite(
        by=by,
        organisation=organisation,
        email=email,
        roles=list(roles),
        language=language,
        base_url=BASE,
    )


def refused(call, message: str) -> services.AccountError:
    """``call`` raises an AccountError containing ``message`` and changes nothing."""
    before = snapshot()
    with pytest.raises(services.AccountError) as caught:
        call()
    assert message in str(caught.value), str(caught.value)
    assert snapshot() == before
    assert mail.outbox == []
    return caught.value


# --- every service is the platform administrator's only ------------------------------------------


SERVICE_CALLS = {
    "organisation_create": lambda by, org, member: services.organisation_create(
        by=by, name="Neu", kind="verein"
    ),
    "member_invite": lambda by, org, member: invite(by, org),
    "invitation_resend": lambda by, org, member: services.invitation_resend(
        by=by, organisation=org, user=member, language="de", base_url=BASE
    ),
    "member_roles_change": lambda by, org, member: services.member_roles_change(
        by=by, organisation=org, user=member, roles=["team_lead"]
    ),
    "user_deactivate": lambda by, org, member: services.user_deactivate(by=by, user=member),
    "user_reactivate": lambda by, org, member: services.user_reactivate(by=by, user=member),
}


@pytest.mark.parametrize("service", sorted(SERVICE_CALLS))
@pytest.mark.parametrize("role", [r for r in Role if r != Role.PLATFORM_ADMIN])
def test_every_service_refuses_every_other_role(org, counsellor, role, service):
    actor = make(f"als-{role.value}", org, role)
    member = make("offen", org, Role.COUNSELLOR, email="offen@example.org")
    member.set_unusable_password()
    member.save()
    refused(lambda: SERVICE_CALLS[service](actor, org, member), "Berechtigung")


def test_a_deactivated_platform_admin_can_do_nothing(org, admin, counsellor):
    second = make("zweite", org, Role.PLATFORM_ADMIN)
    second.is_active = False
    second.save()
    refused(lambda: services.user_deactivate(by=second, user=counsellor), "Berechtigung")


# --- organisations -------------------------------------------------------------------------------


def test_create_an_organisation(admin):
    created = services.organisation_create(
        by=admin, name="  Neue   Beratung ", kind="verein", email="info@example.org"
    )
    assert created.name == "Neue Beratung" and created.kind == "verein"
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_CREATED)
    assert entry.organisation == created and entry.actor == admin and entry.detail == {}


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("beratung a", "verein", "gibt es schon"),
        ("   ", "verein", "Namen"),
        ("Neu", "raumschiff", "Art"),
    ],
)
def test_organisation_refusals(admin, name, kind, message):
    error = refused(lambda: services.organisation_create(by=admin, name=name, kind=kind), message)
    assert error.field in ("name", "kind")


# --- invitations ---------------------------------------------------------------------------------


def test_invite_a_new_person(admin, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = invite(admin, org, email=" Neu@Example.ORG ", roles=["offer_editor", "counsellor"])
    assert mail.outbox == []  # only after the commit
    for callback in callbacks:
        callback()
    assert user.username == user.email == "neu@example.org"
    assert not user.has_usable_password() and user.is_active
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {
        "offer_editor",
        "counsellor",
    }
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_INVITED)
    assert entry.organisation == org and entry.object_id == str(user.pk)
    assert entry.detail == {"roles": ["counsellor", "offer_editor"], "new_account": True}
    (message,) = mail.outbox
    assert message.to == ["neu@example.org"]
    assert "Einladung" in message.subject
    assert "Beratung A" in message.body and "7 Tage" in message.body
    assert len(LINK.findall(message.body)) == 1
    assert f"{BASE}/de/konto/login/" in message.body
    # nothing else about anyone: not the inviting admin, not the roles
    for other in ("plattform", "Angebotspflege", "Beratung / Fallmanagement"):
        assert other not in message.body


def test_the_invitation_mail_speaks_the_chosen_language(
    admin, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin, org, language="uk")
    (message,) = mail.outbox
    assert "/uk/konto/einladung/" in message.body
    assert "Einladung" not in message.subject


def accept(client, link: str, password: str = PASSWORD):
    first = client.get(link)
    assert first.status_code == 302, first.status_code
    return client.post(first["Location"], {"new_password1": password, "new_password2": password})


def test_the_invitation_link_sets_the_password_once(
    client, admin, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(admin, org, roles=["offer_editor"])
    link = LINK.search(mail.outbox[0].body).group(0).removeprefix(BASE)
    assert client.get(link, follow=True).status_code == 200
    response = accept(client, link)
    assert response.status_code == 302 and response["Location"] == reverse(
        "password_reset_complete"
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    entry = AuditEntry.objects.get(action=AuditAction.INVITATION_ACCEPTED)
    assert entry.actor == user and entry.organisation == org
    # used up
    html = client.get(link, follow=True).content.decode()
    assert 'name="new_password1"' not in html and "gilt nicht mehr" in html
    # the new account lands on the offer maintenance, not in case management
    assert client.login(username="neu@example.org", password=PASSWORD)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("directory:manage")
    assert client.get(reverse("cases:start")).status_code == 403


def test_an_invitation_expires(client, admin, org, settings):
    user = invite(admin, org)
    generator = InvitationTokenGenerator()
    token = generator.make_token(user)
    assert generator.check_token(user, token)
    settings.WEGWEISER_INVITATION_DAYS = 0

    class Later(InvitationTokenGenerator):
        def _now(self):
            return super()._now() + dt.timedelta(seconds=2)

    assert not Later().check_token(user, token)
    assert not generator.check_token(user, "abc-def")
    # a reset token is no invitation token
    from django.contrib.auth.tokens import default_token_generator

    assert not generator.check_token(user, default_token_generator.make_token(user))


def test_a_new_invitation_ends_the_old_link(client, admin, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(admin, org)
    old = LINK.search(mail.outbox[0].body).group(0).removeprefix(BASE)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(
            by=admin, organisation=org, user=user, language="de", base_url=BASE
        )
    new = LINK.search(mail.outbox[1].body).group(0).removeprefix(BASE)
    assert old != new
    assert 'name="new_password1"' not in client.get(old, follow=True).content.decode()
    assert accept(client, new).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.INVITATION_RESENT).count() == 1


def test_resend_only_while_the_invitation_is_open(admin, org, counsellor, other_org):
    refused(
        lambda: services.invitation_resend(
            by=admin, organisation=org, user=counsellor, language="de", base_url=BASE
        ),
        "schon festgelegt",
    )
    refused(
        lambda: services.invitation_resend(
            by=admin, organisation=other_org, user=counsellor, language="de", base_url=BASE
        ),
        "gehört nicht",
    )


def test_a_deactivated_account_cannot_accept(
    client, admin, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(admin, org)
    link = LINK.search(mail.outbox[0].body).group(0).removeprefix(BASE)
    services.user_deactivate(by=admin, user=user)
    assert 'name="new_password1"' not in client.get(link, follow=True).content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_inviting_a_member_again_is_refused(admin, org, counsellor):
    error = refused(lambda: invite(admin, org, email="BERATUNG@example.org"), "schon zu dieser")
    assert error.field == "email"


def test_inviting_a_deactivated_account_is_refused(admin, org, other_org, counsellor):
    counsellor.is_active = False
    counsellor.save()
    refused(lambda: invite(admin, other_org, email="beratung@example.org"), "deaktiviert")


def test_an_address_of_several_accounts_is_refused(admin, org, other_org):
    make("eins", org, email="doppelt@example.org")
    make("zwei", org, email="doppelt@example.org")
    refused(lambda: invite(admin, other_org, email="doppelt@example.org"), "Mehrere Konten")


@pytest.mark.parametrize("roles", [[], ["chef"]])
def test_invitations_need_known_roles(admin, org, roles):
    error = refused(lambda: invite(admin, org, roles=roles), "Rolle")
    assert error.field == "roles"


def test_an_existing_account_joins_another_organisation(
    admin, org, other_org, counsellor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(admin, other_org, email="beratung@example.org", roles=["team_lead"])
    assert user == counsellor and user.check_password(PASSWORD)  # the password stays
    assert Membership.objects.filter(user=user, organisation=other_org, role="team_lead").exists()
    (message,) = mail.outbox
    assert "Träger B" in message.body and "einladung" not in message.body
    entry = AuditEntry.objects.get(action=AuditAction.MEMBER_INVITED)
    assert entry.detail == {"roles": ["team_lead"], "new_account": False}


# --- roles ---------------------------------------------------------------------------------------


def test_change_roles(admin, org, counsellor):
    assert services.member_roles_change(
        by=admin, organisation=org, user=counsellor, roles=["team_lead", "offer_editor"]
    )
    assert set(Membership.objects.filter(user=counsellor).values_list("role", flat=True)) == {
        "team_lead",
        "offer_editor",
    }
    entry = AuditEntry.objects.get(action=AuditAction.ROLES_CHANGED)
    assert entry.detail == {
        "roles": ["team_lead", "offer_editor"],
        "previous_roles": ["counsellor"],
    }
    # the same roles again: nothing to change, nothing logged
    before = snapshot()
    assert not services.member_roles_change(
        by=admin, organisation=org, user=counsellor, roles=["offer_editor", "team_lead"]
    )
    assert snapshot() == before


def test_no_roles_means_leaving_the_organisation(admin, org, counsellor):
    services.member_roles_change(by=admin, organisation=org, user=counsellor, roles=[])
    assert not Membership.objects.filter(user=counsellor).exists()
    refused(
        lambda: services.member_roles_change(
            by=admin, organisation=org, user=counsellor, roles=["counsellor"]
        ),
        "gehört nicht",
    )


def test_the_last_platform_admin_cannot_remove_their_role(admin, org):
    error = refused(
        lambda: services.member_roles_change(
            by=admin, organisation=org, user=admin, roles=["counsellor"]
        ),
        "Mindestens eine Person",
    )
    assert error.field == "roles"
    # with a second (active) administrator it is possible
    second = make("zweite", org, Role.PLATFORM_ADMIN)
    second.is_active = False
    second.save()
    refused(
        lambda: services.member_roles_change(by=admin, organisation=org, user=admin, roles=[]),
        "Mindestens eine Person",
    )
    services.user_reactivate(by=admin, user=second)
    assert services.member_roles_change(by=admin, organisation=org, user=admin, roles=[])
    assert not Membership.objects.filter(user=admin).exists()


def test_a_platform_admin_role_elsewhere_counts(admin, org, other_org):
    Membership.objects.create(user=admin, organisation=other_org, role=Role.PLATFORM_ADMIN)
    assert services.member_roles_change(by=admin, organisation=org, user=admin, roles=[])


# --- active accounts -----------------------------------------------------------------------------


def test_deactivate_and_reactivate(client, admin, org, other_org, counsellor):
    Membership.objects.create(user=counsellor, organisation=other_org, role=Role.COUNSELLOR)
    client.force_login(counsellor)
    assert client.get(reverse("cases:start")).status_code == 200
    services.user_deactivate(by=admin, user=counsellor)
    counsellor.refresh_from_db()
    assert not counsellor.is_active
    # the running session ends, a new login fails
    assert client.get(reverse("cases:start")).status_code == 302
    assert not client.login(username="beratung", password=PASSWORD)
    entries = AuditEntry.objects.filter(action=AuditAction.USER_DEACTIVATED)
    assert {e.organisation for e in entries} == {org, other_org}  # each organisation's DPO sees it
    assert all(e.object_id == str(counsellor.pk) and e.detail == {} for e in entries)
    refused(lambda: services.user_deactivate(by=admin, user=counsellor), "schon deaktiviert")
    services.user_reactivate(by=admin, user=counsellor)
    assert client.login(username="beratung", password=PASSWORD)
    assert AuditEntry.objects.filter(action=AuditAction.USER_REACTIVATED).count() == 2
    refused(lambda: services.user_reactivate(by=admin, user=counsellor), "schon aktiv")


def test_nobody_deactivates_themselves(admin, org):
    make("zweite", org, Role.PLATFORM_ADMIN)
    refused(lambda: services.user_deactivate(by=admin, user=admin), "eigenes Konto")


def test_an_account_without_organisation_is_logged_without_one(admin):
    loner = User.objects.create_user("allein")
    services.user_deactivate(by=admin, user=loner)
    entry = AuditEntry.objects.get(action=AuditAction.USER_DEACTIVATED)
    assert entry.organisation is None


# --- the pages -----------------------------------------------------------------------------------


ADMIN_PAGES = [
    ("accounts:admin-organisations", False),
    ("accounts:admin-organisation-new", False),
    ("accounts:admin-organisation", True),
    ("accounts:admin-invite", True),
    ("accounts:admin-member", True),
]


def page_url(name, org, member, with_org):
    if name == "accounts:admin-member":
        return reverse(name, kwargs={"organisation_id": org.pk, "user_id": member.pk})
    return reverse(name, kwargs={"organisation_id": org.pk} if with_org else None)


@pytest.mark.parametrize("language", ["de", "en", "ar", "uk", "fa", "tr"])
def test_the_pages_render_for_the_platform_admin(client, admin, org, counsellor, language):
    client.force_login(admin)
    with translation.override(language):
        for name, with_org in ADMIN_PAGES:
            response = client.get(page_url(name, org, counsellor, with_org))
            html = response.content.decode()
            assert response.status_code == 200, name
            assert f'<html lang="{language}"' in html and 'class="site-header"' in html
            assert "{%" not in html and "{{" not in html and "{#" not in html
            assert "no-store" in response["Cache-Control"]


def test_the_pages_show_organisations_and_members_but_no_participant(
    client, admin, org, counsellor, other_org
):
    from tests.cases.conftest import new_participant

    new_participant(org, counsellor, family_name="Qzgeheim")
    client.force_login(admin)
    listing = client.get(reverse("accounts:admin-organisations")).content.decode()
    assert "Beratung A" in listing and "Träger B" not in listing  # without accounts: search
    found = client.get(reverse("accounts:admin-organisations"), {"q": "träger"}).content.decode()
    assert "Träger B" in found
    detail = client.get(
        reverse("accounts:admin-organisation", kwargs={"organisation_id": org.pk})
    ).content.decode()
    assert "beratung" in detail and "Beratung / Fallmanagement" in detail
    for page in (listing, found, detail):
        assert "Qzgeheim" not in page


def test_the_start_page_links_the_administration(client, admin, counsellor):
    client.force_login(admin)
    assert (
        reverse("accounts:admin-organisations")
        in client.get(reverse("cases:start")).content.decode()
    )
    client.force_login(counsellor)
    assert (
        reverse("accounts:admin-organisations")
        not in client.get(reverse("cases:start")).content.decode()
    )


def test_invite_through_the_page(client, admin, org, django_capture_on_commit_callbacks):
    client.force_login(admin)
    url = reverse("accounts:admin-invite", kwargs={"organisation_id": org.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"email": "neu@example.org", "roles": ["offer_editor"], "language": "tr"}
        )
    assert response.status_code == 302
    assert "/tr/konto/einladung/" in mail.outbox[0].body
    assert Membership.objects.get(user__email="neu@example.org").role == "offer_editor"


def test_refusals_are_shown_on_the_form_translated(client, admin, org, counsellor):
    client.force_login(admin)
    before = snapshot()
    with translation.override("en"):
        url = reverse("accounts:admin-invite", kwargs={"organisation_id": org.pk})
        response = client.post(
            url, {"email": "beratung@example.org", "roles": ["counsellor"], "language": "de"}
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "error-summary" in html and 'id="id_email_error"' in html
        assert "gehört schon" not in html  # English, not the German source
        empty = client.post(url, {"email": "", "language": "de"})
        assert empty.status_code == 400 and 'id="id_roles_error"' in empty.content.decode()
        own = reverse(
            "accounts:admin-member", kwargs={"organisation_id": org.pk, "user_id": admin.pk}
        )
        last = client.post(own, {"roles": ["counsellor"]})
        assert last.status_code == 400 and 'id="id_roles_error"' in last.content.decode()
    assert snapshot() == before
    assert mail.outbox == []


def test_deactivate_through_the_page_refuses_oneself(client, admin, org):
    client.force_login(admin)
    response = client.post(
        reverse(
            "accounts:admin-deactivate", kwargs={"organisation_id": org.pk, "user_id": admin.pk}
        ),
        follow=True,
    )
    assert "eigenes Konto" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_a_member_of_another_organisation_is_404_on_this_ones_pages(client, admin, org, other_org):
    stranger = make("fremd", other_org, Role.COUNSELLOR)
    client.force_login(admin)
    for name in ("accounts:admin-member", "accounts:admin-deactivate"):
        url = reverse(name, kwargs={"organisation_id": org.pk, "user_id": stranger.pk})
        assert client.post(url, {"roles": ["counsellor"]}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_home_without_organisation_says_so(client):
    loner = User.objects.create_user("allein", password=PASSWORD)
    client.force_login(loner)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    assert "gehört zu keiner Organisation" in response.content.decode()
    assert client.get(reverse("cases:start")).status_code == 403


def test_a_user_name_taken_with_another_address_is_refused(admin, org):
    make("neu@example.org", org, email="anders@example.org")
    refused(lambda: invite(admin, org, email="neu@example.org"), "anderes Konto")


def test_an_address_that_cannot_be_a_user_name_is_refused(admin, org):
    error = refused(lambda: invite(admin, org, email="a!b@example.org"), "Benutzername")
    assert error.field == "email"


def test_a_failing_mail_server_does_not_lose_the_invitation(
    admin, org, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(admin, org)
    assert Membership.objects.filter(user=user, organisation=org).exists()
    assert "could not be sent" in caplog.text
