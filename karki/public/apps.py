from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "karki.public"
    label = "public"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from . import translation  # noqa: F401  (registers translated fields and history)
