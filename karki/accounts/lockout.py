"""Brute-force protection around password sign-in (django-axes callables named in settings)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _

from .signin import sign_in_context


def client_ip(request) -> str | None:
    """The address a failed sign-in is counted against.

    Directly connected clients: REMOTE_ADDR. Behind REVERSE_PROXY_COUNT trusted proxies that each append
    the address they saw to CLIENT_IP_HEADER (X-Forwarded-For): the entry that many places from the right.
    Entries further left were written by the client itself and are never trusted.
    """
    count = settings.REVERSE_PROXY_COUNT
    if count <= 0:
        return request.META.get("REMOTE_ADDR")
    chain = [part.strip() for part in request.META.get(settings.CLIENT_IP_HEADER, "").split(",") if part.strip()]
    if len(chain) >= count:
        return chain[-count]
    return request.META.get("REMOTE_ADDR")


def is_single_sign_on(request, credentials: dict | None) -> bool:
    """Sign-ins without a username come back from the identity provider, which guards its own passwords.

    Counting them would put every person behind the county's shared address into one bucket.
    """
    return not (credentials or {}).get("username")


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, with a message saying why and for how long (HTTP 429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = sign_in_context(request)
    context.update({
        "form": form,
        "locked_out": _(
            "Too many failed sign-in attempts. For your security, signing in with this username from "
            "this computer is blocked for %(minutes)s minutes. Try again later, or ask your organisation's "
            "Kärki administrator for help."
        ) % {"minutes": minutes},
        "next": request.POST.get("next", request.GET.get("next", "")),
    })
    return render(request, "registration/login.html", context, status=429)
