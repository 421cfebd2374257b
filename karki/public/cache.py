"""Rendered public pages and data files, kept per app process under the tokens of what they were made from.

A public page is the same for every visitor, so it is rendered once and then served from memory until
the programme's tokens change (`karki.figures.marks`): publishing a version, issuing a council report or
changing the public settings gives the programme new tokens in the database, which every process reads
on each request, so no process serves a page made before the change. A bounded least-recently-used
store (`PUBLIC_CACHE_ENTRIES`); nothing is shared between processes but the tokens.

The responses carry an ETag made of those tokens and `Cache-Control: public`, so browsers and a CDN in
front can keep them too, for `PUBLIC_CACHE_MAX_AGE` seconds at most.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

from karki.figures import marks

_store: OrderedDict = OrderedDict()
_lock = threading.Lock()
_counts = {"hits": 0, "misses": 0, "uncached": 0}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    language: str = ""
    filename: str = ""  # offered as a download under this name
    status: int = 200


def scopes(programme_id, organisation_id) -> set[str]:
    return {marks.programme_scope(programme_id), marks.organisation_scope(organisation_id), marks.PEOPLE}


def respond(request, key: tuple, scope: set[str], render: Callable[[], Rendered]) -> HttpResponse:
    """The response for `key` (the page and its language and query) as of the committed state of `scope`."""
    entries = getattr(settings, "PUBLIC_CACHE_ENTRIES", 2000)
    pending = marks.pending()
    if entries <= 0 or scope & pending or marks.EVERYTHING in pending:
        _counts["uncached"] += 1
        return _response(request, render(), etag="")
    tokens = marks.tokens(scope)
    full_key = (key, tokens)
    etag = '"' + hashlib.sha256(repr(full_key).encode()).hexdigest()[:32] + '"'
    with _lock:
        found = _store.get(full_key)
        if found is not None:
            _store.move_to_end(full_key)
            _counts["hits"] += 1
    if found is None:
        found = render()
        _counts["misses"] += 1
        if found.status == 200:
            with _lock:
                _store[full_key] = found
                while len(_store) > entries:
                    _store.popitem(last=False)
    return _response(request, found, etag=etag if found.status == 200 else "")


def remember(key: tuple, scope: set[str], compute: Callable[[], object]):
    """The value of `compute()` for `key` as of the committed state of `scope` (kept in the same store)."""
    pending = marks.pending()
    if getattr(settings, "PUBLIC_CACHE_ENTRIES", 2000) <= 0 or scope & pending or marks.EVERYTHING in pending:
        return compute()
    full_key = (("value", *key), marks.tokens(scope))
    with _lock:
        if full_key in _store:
            _store.move_to_end(full_key)
            return _store[full_key]
    value = compute()
    with _lock:
        _store[full_key] = value
        while len(_store) > getattr(settings, "PUBLIC_CACHE_ENTRIES", 2000):
            _store.popitem(last=False)
    return value


def serve(request, rendered: Rendered) -> HttpResponse:
    """A response made afresh and not kept (a free-text search)."""
    return _response(request, rendered, etag="")


def _response(request, rendered: Rendered, *, etag: str) -> HttpResponse:
    if etag and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(rendered.content, content_type=rendered.content_type, status=rendered.status)
        if rendered.filename:
            response["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
    if etag:
        response["ETag"] = etag
    if rendered.language:
        response["Content-Language"] = rendered.language
    if rendered.status == 200:
        patch_cache_control(response, public=True, max_age=getattr(settings, "PUBLIC_CACHE_MAX_AGE", 300))
    else:  # a page not (yet) published must show the moment it is
        patch_cache_control(response, no_cache=True)
    if not rendered.content_type.startswith("text/html"):
        response["Access-Control-Allow-Origin"] = "*"  # open data: readable by any site's scripts
    return response


def clear() -> None:
    with _lock:
        _store.clear()
    for name in _counts:
        _counts[name] = 0


def stats() -> dict[str, int]:
    return {**_counts, "entries": len(_store)}
