"""The projects' fixtures, for the project history."""

from karki.projects.tests.conftest import plan, project  # noqa: F401
