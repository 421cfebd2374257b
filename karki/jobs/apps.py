from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "karki.jobs"
    verbose_name = _("Background work")

    def ready(self) -> None:
        # Each app declares the kinds of background work it offers in its own `jobs.py`.
        autodiscover_modules("jobs")
