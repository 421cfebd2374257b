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


_MISSING = object()


def _tokens(scope: set[str]) -> tuple | None:
    """The committed tokens of `scope`; None when nothing may be kept now (keeping is off, or this thread's open
    transaction has written to the scope, whose state other processes do not see yet)."""
    pending = marks.pending()
    if getattr(settings, "PUBLIC_CACHE_ENTRIES", 2000) <= 0 or scope & pending or marks.EVERYTHING in pending:
        return None
    return marks.tokens(scope)


def _kept(full_key):
    with _lock:
        found = _store.get(full_key, _MISSING)
        if found is not _MISSING:
            _store.move_to_end(full_key)
    return found


def _keep(full_key, value) -> None:
    with _lock:
        _store[full_key] = value
        _store.move_to_end(full_key)
        while len(_store) > getattr(settings, "PUBLIC_CACHE_ENTRIES", 2000):
            _store.popitem(last=False)


def respond(request, key: tuple, scope: set[str], render: Callable[[], Rendered]) -> HttpResponse:
    """The response for `key` (the page and its language and query) as of the committed state of `scope`."""
    tokens = _tokens(scope)
    if tokens is None:
        _counts["uncached"] += 1
        return _response(request, render(), etag="")
    full_key = (key, tokens)
    etag = '"' + hashlib.sha256(repr(full_key).encode()).hexdigest()[:32] + '"'
    found = _kept(full_key)
    if found is _MISSING:
        found = render()
        _counts["misses"] += 1
        if found.status == 200:
            _keep(full_key, found)
    else:
        _counts["hits"] += 1
    return _response(request, found, etag=etag if found.status == 200 else "")


def remember(key: tuple, scope: set[str], compute: Callable[[], object]):
    """The value of `compute()` for `key` as of the committed state of `scope` (kept in the same store)."""
    tokens = _tokens(scope)
    if tokens is None:
        return compute()
    full_key = (("value", *key), tokens)
    value = _kept(full_key)
    if value is _MISSING:
        value = compute()
        _keep(full_key, value)
    return value


def kept_site(programme_id: int, organisation_id: int, language: str):
    """`read_site()` of a programme in a language, kept like the pages (under the same tokens): a page not kept (a
    free-text search, a page pushed out of the store) and a data file in every language are only their rendering."""
    from karki.programmes.models import Programme

    from .reading import read_site

    return remember(("site", programme_id, language), scopes(programme_id, organisation_id),
                    lambda: read_site(Programme.objects.select_related("organisation").get(pk=programme_id), language))


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
