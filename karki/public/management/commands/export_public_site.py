"""Write the public site as static files, for any web server or CDN to serve.

    manage.py export_public_site --to DIR [--programme SLUG]

Every page of every published programme (or of one) in Finnish, Swedish and English, its open-data files,
datapackage.json and dcat.jsonld, the list of programmes, sitemap.xml and robots.txt, and the style sheets and
icon the pages use. Each file is the app's own answer to its public address, asked through Django's test
client as a visitor would ask, so it is byte for byte what the server sends; the addresses come from the
published sites (`read_site()`), so nothing unpublished is asked for, and an answer other than 200 stops the
export before anything is written.

The export is written beside DIR first and then moved into place, so that a web server never serves half an
export: DIR/public/ (or DIR/public/<programme>/ with --programme), DIR/static/ and DIR/robots.txt are
replaced, and what a previous export wrote of a measure or a programme that is no longer public goes with
them. See docs/open-data.md.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError
from django.templatetags.static import PrefixNode
from django.test import Client
from django.urls import reverse

from karki.programmes.models import Programme
from karki.public import opendata
from karki.public.addresses import page_paths
from karki.public.reading import LANGUAGES, Site
from karki.public.views.common import public_url
from karki.public.views.data import published_sites

ASSET_IN_HTML = re.compile(r'(?:href|src)="([^"]+)"')
ASSET_IN_CSS = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class Command(BaseCommand):
    help = "Write the public site of every published programme (or one) as static files into a directory."

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, metavar="DIR", help="The directory to write the site into.")
        parser.add_argument("--programme", metavar="SLUG",
                            help="Only this programme (the list of programmes, the sitemap and robots.txt too). "
                                 "A programme no longer published has its files removed.")

    def handle(self, *args, to: str, programme: str | None = None, **options):
        target = Path(to).resolve()
        target.mkdir(parents=True, exist_ok=True)
        sites = published_sites()
        if programme is not None:
            if not Programme.objects.filter(slug=programme).exists():
                raise CommandError(f"No programme {programme!r}.")
            sites = [site for site in sites if site.programme.slug == programme]

        had_files = programme is not None and (target / "public" / programme).exists()
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target))
        request_log = logging.getLogger("karki.request")
        level = request_log.level
        request_log.setLevel(logging.WARNING)  # a line per file asked would bury the summary
        try:
            export = Export(staging)
            for site in sites:
                export.programme(site)
            export.shared()
            export.assets()
            self._install(staging, target, programme)
        finally:
            request_log.setLevel(level)
            shutil.rmtree(staging, ignore_errors=True)

        if programme is not None and not sites:
            self.stdout.write(f"{programme} is not published: nothing of it was written"
                              + (f", and the files of an earlier export were removed from {target / 'public'}."
                                 if had_files else "."))
        kinds = ", ".join(f"{count} {kind}" for kind, count in export.kinds.items() if count)
        size = f"{export.bytes:,}".replace(",", " ")
        self.stdout.write(f"Wrote {export.count} files ({size} bytes) of {len(sites)} published programme(s) "
                          f"into {target}: {kinds}.")

    def _install(self, staging: Path, target: Path, programme: str | None) -> None:
        """Move the staged export into `target`, replacing what it replaces (see the module's docstring)."""
        if programme is None:
            replaced = [Path("public"), Path("static"), Path("robots.txt")]
        else:
            public = staging / "public"
            replaced = [Path("public") / programme, Path("robots.txt"),
                        *(path.relative_to(staging) for path in public.iterdir() if path.is_file()),
                        *(Path("public") / code / "index.html" for code in LANGUAGES if code != settings.LANGUAGE_CODE)]
        for relative in replaced:
            old = target / relative
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
            new = staging / relative
            if new.exists():
                old.parent.mkdir(parents=True, exist_ok=True)
                new.replace(old)
        if programme is not None:  # the style sheets of one programme's pages join those already there
            for path in sorted((staging / "static").rglob("*")):
                if path.is_file():
                    destination = target / path.relative_to(staging)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    path.replace(destination)


class Export:
    """Asks the app for each public address and writes its answer under `root`."""

    def __init__(self, root: Path):
        self.root = root
        address = urlsplit(settings.SITE_URL)
        self.secure = address.scheme == "https"
        self.client = Client(HTTP_HOST=address.netloc)
        self.static_prefix = PrefixNode.handle_simple("STATIC_URL")  # "/static/", as the pages write it
        self.assets_wanted: set[str] = set()
        self.count = 0
        self.bytes = 0
        self.kinds = {"pages": 0, "data files": 0, "descriptions (data package, DCAT, sitemap, robots.txt)": 0,
                      "static files": 0}

    def get(self, path: str) -> bytes:
        response = self.client.get(path, secure=self.secure)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}: nothing was written. Is the host of "
                               f"SITE_URL ({settings.SITE_URL}) in ALLOWED_HOSTS?")
        content = response.content
        if response["Content-Type"].startswith("text/html"):
            self._note_assets(content.decode(), path)
        return content

    def save(self, path: str, content: bytes) -> None:
        """Write `content` as the file that answers `path`: a page's address ends in "/", its file is index.html."""
        relative = PurePosixPath(unquote(path).lstrip("/"))
        if path.endswith("/"):
            relative = relative / "index.html"
        if any(part in ("..", "") for part in relative.parts):
            raise CommandError(f"Refusing to write outside the export: {path}")
        destination = self.root.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
        self.count += 1
        self.bytes += len(content)
        self.kinds[self._kind(relative)] += 1

    def _kind(self, relative: PurePosixPath) -> str:
        if relative.parts[0] == "static":
            return "static files"
        if relative.name == "index.html":
            return "pages"
        if relative.parent.name == "data" and relative.suffix in (".csv", ".json"):
            return "data files"
        return "descriptions (data package, DCAT, sitemap, robots.txt)"

    def fetch(self, path: str) -> None:
        self.save(path, self.get(path))

    def programme(self, site: Site) -> None:
        slug = site.programme.slug
        for path in page_paths(site):
            self.fetch(path)
        for dataset in opendata.DATASETS:
            for extension in opendata.EXTENSIONS:
                self.fetch(reverse("public:data-file", kwargs={"slug": slug, "name": dataset.name,
                                                               "extension": extension}))
        self.fetch(reverse("public:datapackage", kwargs={"slug": slug}))
        self.fetch(reverse("public:dcat", kwargs={"slug": slug}))

    def shared(self) -> None:
        for code in LANGUAGES:
            self.fetch(public_url("index", code))
        self.fetch(reverse("public:sitemap"))
        self.fetch(reverse("public:robots"))

    def _note_assets(self, html: str, page: str) -> None:
        for reference in ASSET_IN_HTML.findall(html):
            path = urlsplit(urljoin(page, reference)).path
            if path.startswith(self.static_prefix):
                self.assets_wanted.add(path)

    def assets(self) -> None:
        """Copy the static files the pages refer to (and those their style sheets refer to), under the names the
        pages use: hashed ones from the collected files, plain ones from where the app finds them."""
        done: set[str] = set()
        wanted = sorted(self.assets_wanted)
        while wanted:
            path = wanted.pop()
            if path in done:
                continue
            done.add(path)
            content = self._asset(unquote(path[len(self.static_prefix):]))
            self.save(path, content)
            if path.endswith(".css"):
                for found in ASSET_IN_CSS.findall(content.decode("utf-8", "replace")):
                    reference = found[0] or found[1]
                    if reference.startswith(("data:", "#")) or urlsplit(reference).scheme:
                        continue
                    nested = urlsplit(urljoin(path, reference)).path
                    if nested.startswith(self.static_prefix):
                        wanted.append(nested)

    @staticmethod
    def _asset(name: str) -> bytes:
        source = finders.find(name)
        if source:
            return Path(source).read_bytes()
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as stored:
                return stored.read()
        raise CommandError(f"The pages refer to the static file {name}, which neither the collected static files nor "
                           f"the app's static folders have: run `manage.py collectstatic` and export again.")
