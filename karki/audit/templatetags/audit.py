"""Template helpers of the audit trail: who may read it, and times in the reader's language."""

from __future__ import annotations

from django import template
from django.utils import timezone

from karki.accounts import permissions as perms

from ..history import format_when, person_name

register = template.Library()


@register.filter
def can_view_history(user, programme) -> bool:
    return perms.can_view_history(user, programme)


@register.filter
def when(value) -> str:
    """5.10.2023 klo 14.05 in Finnish."""
    return format_when(value)


@register.filter
def iso(value) -> str:
    """For <time datetime="…">: local time with its offset."""
    return timezone.localtime(value).isoformat() if value else ""


@register.filter
def person(user) -> str:
    return person_name(user)
