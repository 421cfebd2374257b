"""Open data: every public figure as CSV and JSON, the data package and the sitemap (filled in below)."""
# PLACEHOLDER until the open-data work lands: every address answers 404.
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


data_page = sitemap = robots = datapackage = dcat = data_file = _todo
