from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "karki.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.core import checks

        from .oidc import check_role_map

        checks.register(check_role_map)
