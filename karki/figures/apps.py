from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "karki.figures"
    label = "figures"
    verbose_name = _("Figures")

    def ready(self):
        from . import marks

        marks.connect()
