"""Reads about people. The user model is Django's own, so these are functions rather than manager methods."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from .models import Membership


def people_of(organisation, *, role: str = "") -> QuerySet:
    """Users holding a role in `organisation` (optionally this one role), each with
    `roles_here`: their memberships in this organisation only, never those elsewhere."""
    User = get_user_model()
    members = Membership.objects.filter(organisation=organisation)
    if role:
        members = members.filter(role=role)
    return (
        User.objects.filter(pk__in=members.values("user_id"))
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.filter(organisation=organisation),
                                   to_attr="roles_here"))
        .order_by("last_name", "first_name", "username")
    )


def role_changes_of(organisation) -> QuerySet:
    """Grants and revocations of roles in `organisation`, newest first."""
    return (
        Membership.history.filter(organisation_id=organisation.pk)
        .select_related("user", "history_user")
        .order_by("-history_date", "-history_id")
    )


def account_changes_of(organisation) -> QuerySet:
    """Changes to the accounts of the people who hold or held a role in `organisation` (created,
    renamed, e-mail changed, deactivated), newest first."""
    User = get_user_model()
    people = Membership.history.filter(organisation_id=organisation.pk).values("user_id")
    return (
        User.history.filter(id__in=people)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
