"""The programme office's settings of the public site (signed in)."""
# PLACEHOLDER until the settings pages land: every address answers 404.
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


settings_page = entry_edit = _todo
