"""The kinds of background work of projects (found at start-up by karki.jobs): the project workbook's."""

from .workbook import jobs  # noqa: F401
