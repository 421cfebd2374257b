"""Write side of the audit trail: which program (a command, an import) made a change, and who.

django-simple-history records who (`_history_user`, set by every service) and when. Services
that know why give a change reason ("approved", "copy of version 2"). A command or an importer
that calls many services wraps its work in `change_reason("load_demo")`, and every historical
row written meanwhile carries that name, so an auditor sees where the change came from.

This is done with simple-history's `pre_create_historical_record` hook rather than a `reason=`
argument on every service: it is metadata of the history row, not domain behaviour, and every
service and direct save inside the block gets it without the command having to thread it through.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import router
from django.db.models.deletion import Collector
from simple_history.signals import pre_create_historical_record

REASON_MAX_LENGTH = 100  # simple-history's history_change_reason is a CharField(max_length=100)

_current_reason: ContextVar[str | None] = ContextVar("karki_audit_change_reason", default=None)
_current_user: ContextVar[object | None] = ContextVar("karki_audit_acting_user", default=None)


@contextmanager
def change_reason(reason: str):
    """Mark every history row written inside the block (or the decorated function) with `reason`."""
    token = _current_reason.set(reason)
    try:
        yield
    finally:
        _current_reason.reset(token)


def delete_with_history(obj, by) -> None:
    """Delete `obj` and what Django deletes with it; every removed row keeps its last values in the
    history as "deleted", with `by` as the author (a removed measure's dependencies, an objective's
    key results and check-ins, …)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    for instances in collector.data.values():
        for instance in instances:
            instance._history_user = by
            instance._change_reason = "deleted"
    collector.delete()


@contextmanager
def acting_user(user):
    """Author of history rows written inside the block that name no author of their own.

    A service sets `_history_user` on the object it saves, but Django's cascade deletes other
    objects (the measures of a deleted theme) that never saw it; outside a web request
    (where simple-history's middleware names the user) their rows would have no author.
    Wrapping the delete in `acting_user(by)` closes that gap."""
    token = _current_user.set(user)
    try:
        yield
    finally:
        _current_user.reset(token)


def current_reason() -> str | None:
    return _current_reason.get()


def combine(context: str | None, own: str | None) -> str | None:
    """"load_demo: approved" keeps both where the change came from and the service's own reason."""
    if not context:
        return own
    text = f"{context}: {own}" if own and own != context else context
    return text[:REASON_MAX_LENGTH]


def _fill_in(sender, history_instance, **kwargs) -> None:
    context = _current_reason.get()
    if context:
        history_instance.history_change_reason = combine(context, history_instance.history_change_reason)
    user = _current_user.get()
    if user is not None and history_instance.history_user_id is None:
        history_instance.history_user = user


def connect() -> None:
    pre_create_historical_record.connect(_fill_in, dispatch_uid="karki_audit_fill_in")
