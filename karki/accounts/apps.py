from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "karki.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from .oidc import check_role_map

        checks.register(check_role_map)
        # Django's own handler saves the user at every sign-in; keep that save out of the history.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login_quietly, dispatch_uid="update_last_login")


def update_last_login_quietly(sender, user, **kwargs):
    """Django's `update_last_login` without a history row: last_login is not part of the history, so
    the row would say nothing but add one line per sign-in."""
    from django.contrib.auth.models import update_last_login

    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving
