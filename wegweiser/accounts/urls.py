from django.urls import path
from django.views.decorators.cache import never_cache

from wegweiser.accounts import second_factor_views, views
from wegweiser.core.access import public

app_name = "accounts"

ORG = "verwaltung/organisationen/<uuid:organisation_id>/"
MEMBER = ORG + "mitglieder/<int:user_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation_switch, name="organisation-switch"),
    path("sicherheit/", second_factor_views.security, name="security"),
    # the invited person has no password yet: the link is the key
    *public(
        [
            path(
                "einladung/<uidb64>/<token>/",
                views.InvitationAcceptView.as_view(),
                name="invitation",
            )
        ]
    ),
    # platform administration
    path("verwaltung/", views.organisations, name="admin-organisations"),
    path("verwaltung/organisationen/neu/", views.organisation_new, name="admin-organisation-new"),
    path(ORG, views.organisation_detail, name="admin-organisation"),
    path(ORG + "einladen/", views.member_invite, name="admin-invite"),
    path(MEMBER, views.member_roles, name="admin-member"),
    path(MEMBER + "einladung/", views.invitation_resend, name="admin-invitation-resend"),
    path(MEMBER + "deaktivieren/", views.user_deactivate, name="admin-deactivate"),
    path(MEMBER + "reaktivieren/", views.user_reactivate, name="admin-reactivate"),
    path(
        MEMBER + "zweiter-faktor-zuruecksetzen/",
        views.second_factor_reset,
        name="admin-second-factor-reset",
    ),
]

for _pattern in urlpatterns:
    _pattern.callback = never_cache(_pattern.callback)
