"""Signing in: the sign-in page (password and/or single sign-on) and the page for people without a role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

# Set by single sign-on for a person it recognised but who holds no role; read by the "no roles" page.
NO_ROLES_SESSION_KEY = "karki_no_roles_name"


def has_any_role(user) -> bool:
    return user.is_superuser or user.memberships.exists()


def apply_preferred_language(response, user):
    """After a sign-in, the interface speaks the language the person last chose while signed in
    (browsers are shared, so a language cookie left by someone else gives way to the person's own)."""
    from karki.core.views import set_language_cookie

    from .services import preferred_language

    language = preferred_language(user)
    if language:
        set_language_cookie(response, language)
    return response


def sign_in_context(request) -> dict:
    """What the sign-in page offers: the password form, the organisation-account button, or both."""
    context = {"password_login": settings.PASSWORD_LOGIN_ENABLED, "oidc_enabled": settings.OIDC_ENABLED}
    if settings.OIDC_ENABLED:
        url = reverse("accounts:oidc-login")
        next_url = request.GET.get("next") or request.POST.get("next")
        context["oidc_login_url"] = f"{url}?{urlencode({'next': next_url})}" if next_url else url
    return context


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN_ENABLED:
            return HttpResponseNotAllowed(["GET"])
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(sign_in_context(self.request))
        return context

    def form_valid(self, form):
        return apply_preferred_language(super().form_valid(form), form.get_user())

    def get_success_url(self):
        if not has_any_role(self.request.user):
            return reverse("accounts:no-roles")
        return super().get_success_url()


@require_safe
def no_roles(request):
    """A person may sign in but holds no role in any organisation: say so kindly and whom to ask."""
    name = request.session.pop(NO_ROLES_SESSION_KEY, None)
    if request.user.is_authenticated:
        name = request.user.get_full_name() or request.user.get_username()
    return render(request, "accounts/no_roles.html", {"name": name, "contact": settings.ACCESS_CONTACT})
