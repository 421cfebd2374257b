from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbooksConfig(AppConfig):
    name = "karki.workbooks"
    label = "workbooks"
    verbose_name = _("Programme workbooks")
