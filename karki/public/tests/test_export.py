"""`manage.py export_public_site`: the public site as static files, byte for byte what the server answers, and
nothing unpublished."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from karki.public import cache, opendata
from karki.public.models import PublicSite

from . import small_site
from .small_site import ESCALATION, HIDDEN, OWNER, ROOT, SLUG, UNDECIDED


@pytest.fixture(autouse=True)
def _fresh_pages():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def small(db):
    return small_site.build()


def _export(target, **options) -> str:
    out = io.StringIO()
    call_command("export_public_site", to=str(target), stdout=out, **options)
    return out.getvalue()


def _files(root) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_export__every_page_data_file_and_description__as_the_server_answers_them(client, small, tmp_path):
    said = _export(tmp_path, programme=SLUG)
    files = _files(tmp_path)

    for page in ("", "changes/", "themes/1/", "measures/M1/", "measures/M3/", "reports/", "reports/1/",
                 "reports/2/", "reports/compare/", "data/", "accessibility/"):
        for prefix in ("", "sv/", "en/"):
            path = f"{ROOT}{prefix}{page}"
            assert files[path.lstrip("/") + "index.html"] == client.get(path).content, path
    for dataset in opendata.DATASETS:
        for extension in opendata.EXTENSIONS:
            path = f"{ROOT}data/{dataset.name}.{extension}"
            assert files[path.lstrip("/")] == client.get(path).content, path
    for path in (f"{ROOT}datapackage.json", f"{ROOT}dcat.jsonld", "/public/sitemap.xml", "/robots.txt",
                 "/public/", "/public/sv/"):
        key = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        assert files[key] == client.get(path).content, path
    assert f"Wrote {len(files)} files" in said and "bytes" in said


def test_export__style_sheets_and_icon_the_pages_use__written_under_the_names_in_the_pages(small, tmp_path):
    _export(tmp_path, programme=SLUG)
    files = _files(tmp_path)

    referred = {ref.lstrip("/") for name, content in files.items() if name.endswith(".html")
                for ref in re.findall(r'(?:href|src)="(/static/[^"]+)"', content.decode())}
    assert referred and any(name.endswith(".css") for name in referred)
    assert referred <= set(files)


def test_export__hidden_and_undecided_measures__nothing_of_them_written(small, tmp_path):
    _export(tmp_path)

    for name, content in _files(tmp_path).items():
        assert "/M2/" not in "/" + name and "/C1/" not in "/" + name, name
        if name.startswith("public/"):
            text = content.decode("utf-8-sig")
            for private in (HIDDEN, UNDECIDED, OWNER, ESCALATION, "measures/M2/", "measures/C1/"):
                assert private not in text, (name, private)


def test_export__again_after_a_measure_is_hidden__its_earlier_files_go(small, tmp_path):
    stale = tmp_path / "public" / SLUG / "measures" / "M2" / "index.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("an export made while M2 was public")
    (tmp_path / "other.txt").write_text("not the export's")

    _export(tmp_path, programme=SLUG)

    assert not stale.exists()
    assert (tmp_path / "public" / SLUG / "measures" / "M1" / "index.html").exists()
    assert (tmp_path / "other.txt").exists()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".export-")]


def test_export__programme_unpublished_since__its_files_removed_and_not_in_the_sitemap(small, tmp_path):
    _export(tmp_path)
    assert (tmp_path / "public" / SLUG / "index.html").exists()

    PublicSite.objects.filter(programme=small).update(is_published=False)
    said = _export(tmp_path, programme=SLUG)

    assert not (tmp_path / "public" / SLUG).exists()
    assert SLUG not in (tmp_path / "public" / "sitemap.xml").read_text()
    assert "not published" in said


def test_export__unknown_programme__refused_and_nothing_written(small, tmp_path):
    with pytest.raises(CommandError, match="No programme"):
        _export(tmp_path, programme="no-such-programme")
    assert not list(tmp_path.iterdir())
