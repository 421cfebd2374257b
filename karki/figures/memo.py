"""What this process has computed, kept under the tokens of the scopes it was computed from.

A bounded, least-recently-used store per app process (`FIGURES_CACHE_ENTRIES`), with an age limit
(`FIGURES_CACHE_SECONDS`) as a second line of defence. Nothing here is shared between processes: the
tokens in the database are, so every process keeps figures only as long as nothing they depend on
changed. Figures are kept as computed objects; callers read them and never change them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings

from . import marks

_store: OrderedDict = OrderedDict()
_lock = threading.Lock()
_counts = {"hits": 0, "misses": 0, "uncached": 0}


def _limits() -> tuple[int, float]:
    return getattr(settings, "FIGURES_CACHE_ENTRIES", 256), getattr(settings, "FIGURES_CACHE_SECONDS", 600)


def remember(key: tuple, scopes, compute: Callable[[], object]):
    """The value of `compute()` for `key` as of the committed state of `scopes`."""
    scopes = set(scopes)
    entries, seconds = _limits()
    if entries <= 0 or scopes & marks.pending() or marks.EVERYTHING in marks.pending():
        _counts["uncached"] += 1
        return compute()
    full_key = (key, marks.tokens(scopes))
    now = time.monotonic()
    with _lock:
        found = _store.get(full_key)
        if found is not None and now - found[0] <= seconds:
            _store.move_to_end(full_key)
            _counts["hits"] += 1
            return found[1]
    value = compute()
    _counts["misses"] += 1
    with _lock:
        _store[full_key] = (now, value)
        _store.move_to_end(full_key)
        while len(_store) > entries:
            _store.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _store.clear()
    marks.pending().clear()
    for name in _counts:
        _counts[name] = 0


def stats() -> dict[str, int]:
    return {**_counts, "entries": len(_store)}
