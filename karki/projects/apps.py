from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "karki.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from . import translation  # noqa: F401  (registers translated fields and history)
