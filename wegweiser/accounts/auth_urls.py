"""Login, logout, password change and password reset under ``/<lang>/konto/``.

Django's views (``django.contrib.auth.urls`` has the same names, which Django's views reverse)
with our templates, in the site's layout: Django's admin ships templates under the same
``registration/`` names and comes first in ``INSTALLED_APPS``, so every page here names its
template in ``accounts/``. No namespace: the names are Django's (``login``, ``password_reset``, …).
"""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.cache import never_cache

from wegweiser.accounts import forms, second_factor_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path(
        "logout/",
        auth_views.LogoutView.as_view(template_name="accounts/logged_out.html"),
        name="logout",
    ),
    # the second factor after the password (accounts/second_factor.py)
    path("zweiter-faktor/", second_factor_views.code, name="second-factor"),
    path("zweiter-faktor/einrichten/", second_factor_views.setup, name="second-factor-setup"),
    path(
        "passwort-aendern/",
        auth_views.PasswordChangeView.as_view(
            form_class=forms.PasswordChangeForm,
            template_name="accounts/password_change_form.html",
        ),
        name="password_change",
    ),
    path(
        "passwort-aendern/fertig/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("passwort-vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passwort-neu/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort-neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

for _pattern in urlpatterns:
    _pattern.callback = never_cache(_pattern.callback)
