"""A programme's figures, computed once per change: the one place pages, reports, exports and the API
read them from.

Each figure is computed by its own module (`programmes.summary`, `forecasts.inputs`,
`monitoring.status`, `forecasts.forecast`) and kept by `memo` under the tokens of the programme, its
organisation and people (`marks`), with the active language (labels are read in it) and, for the
status picture, the day (key results at risk are judged as of today). A what-if forecast is computed
every time, from the kept summary and monitoring.
"""

from __future__ import annotations

from django.utils.translation import get_language

from karki.lib import dates

from . import marks, memo


def _scopes(programme) -> set[str]:
    return {marks.programme_scope(programme.pk), marks.organisation_scope(programme.organisation_id), marks.PEOPLE}


def summary(version):
    """The version's plan in figures (`programmes.summary.VersionSummary`)."""
    from karki.programmes.summary import summarise

    return memo.remember(("summary", version.pk, get_language()), _scopes(version.programme),
                         lambda: summarise(version))


def monitoring(programme, period):
    """Received reports, realised savings and linked key results up to `period` (`forecasts.inputs`)."""
    from karki.forecasts.inputs import read_monitoring

    if period is None:
        return read_monitoring(programme, None)
    return memo.remember(("monitoring", programme.pk, period.pk), _scopes(programme),
                         lambda: read_monitoring(programme, period))


def status_picture(programme, period):
    """The management team's status picture of `programme` in `period` (`monitoring.status`)."""
    from karki.monitoring.status import status_picture as compute

    return memo.remember(("status", programme.pk, period.pk, get_language(), dates.today()), _scopes(programme),
                         lambda: compute(programme, period))


def forecast(version, *, period=None, changes=(), draws=None, seed=None):
    """The forecast of `version` as known at the end of `period`; with `changes`, a what-if of it."""
    from karki.forecasts import assumptions
    from karki.forecasts.forecast import run

    draws = draws or assumptions.DEFAULT_DRAWS
    seed = assumptions.DEFAULT_SEED if seed is None else seed
    programme = version.programme
    changes = list(changes)

    def compute():
        return run(version, period=period, draws=draws, seed=seed, changes=changes, summary=summary(version),
                   monitoring=monitoring(programme, period))

    if changes:
        return compute()
    key = ("forecast", version.pk, period.pk if period else None, draws, seed, get_language())
    return memo.remember(key, _scopes(programme), compute)


def projects(programme, period):
    """The projects followed in `programme` as of `period`: late milestones, spending against the plan and
    missing follow-ups (`projects.reading.programme_projects`). Milestones are judged as of today."""
    from karki.projects.reading import programme_projects

    return memo.remember(("projects", programme.pk, period.pk, dates.today()), _scopes(programme),
                         lambda: programme_projects(programme, period))
