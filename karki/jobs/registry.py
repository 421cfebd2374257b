"""The kinds of background work. An app offers a kind in its own `jobs.py` (found at start-up):

    @jobs.register("programmes.import", label=_("Workbook import"), summary_template="imports/_summary.html")
    def import_workbook(job: Job, progress: Progress) -> Outcome:
        progress(10, _("Reading the workbook"))
        ...
        return Outcome(summary={"created": 12})

A kind returns an `Outcome` (a file to download and/or a summary for its template) or raises
`JobFailed` with a message for the person, written in the job's language, which is active while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    file: bytes | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"
    summary: dict[str, Any] = field(default_factory=dict)


class JobFailed(Exception):
    """The work cannot be done, for a reason the person can act on (the file has errors, …)."""

    def __init__(self, message: str, *, summary: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.summary = summary or {}


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Any  # a lazy translated string
    run: Callable
    summary_template: str = ""


_KINDS: dict[str, JobKind] = {}


def register(name: str, *, label, summary_template: str = "") -> Callable:
    def decorator(function: Callable) -> Callable:
        if name in _KINDS and _KINDS[name].run is not function:
            raise ValueError(f"job kind {name!r} is registered twice")
        _KINDS[name] = JobKind(name=name, label=label, run=function, summary_template=summary_template)
        return function

    return decorator


def get_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)
