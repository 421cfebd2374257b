"""Hostile and broken files: a clear message in the person's language, never a server error, nothing read."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from karki.workbooks import reading, safety
from karki.workbooks.reading import read_workbook
from karki.workbooks.safety import UnreadableWorkbook

from .conftest import minimal


def _refusal(data: bytes, name: str = "ohjelma.xlsx") -> str:
    with pytest.raises(UnreadableWorkbook) as caught:
        read_workbook(data, name)
    return caught.value.message


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
           compression=zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _with_doctype(xml: bytes, doctype: bytes) -> bytes:
    if xml.startswith(b"<?xml"):
        declaration, rest = xml.split(b"?>", 1)
        return declaration + b"?>" + doctype + rest
    return doctype + xml


def test_empty_file__refused(db):
    assert "Tiedosto on tyhjä" in _refusal(b"")


def test_renamed_pdf__refused_as_pdf(db):
    assert "PDF" in _refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "ohjelma.xlsx")


def test_csv__told_to_save_as_xlsx(db):
    message = _refusal(b"Koodi;Nimi\n1;Palvelurakenne\n", "ohjelma.csv")
    assert "CSV" in message and ".xlsx" in message


def test_old_xls__told_to_save_as_xlsx(db):
    assert ".xls" in _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ohjelma.xls")


def test_random_bytes__not_a_workbook(db):
    assert ".xlsx" in _refusal(bytes(range(256)) * 4, "ohjelma.xlsx")


def test_opendocument__told_how_to_save_as_xlsx(db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument" in _refusal(out.getvalue(), "ohjelma.ods")


def test_zip_that_is_not_a_workbook__refused(db):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "zip" in _refusal(out.getvalue())


def test_macro_workbook__refused(db):
    data = _rezip(minimal(), add={"xl/vbaProject.bin": b"\x00macro"})
    assert "makro" in _refusal(data, "ohjelma.xlsm")


def test_zip_bomb__refused_before_unpacking(db, monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    bomb = _rezip(minimal(), add={"xl/media/padding.bin": b"\x00" * (3 * 1024 * 1024)})
    assert len(bomb) < 100_000  # small on disk, large once unpacked
    assert "zip" in _refusal(bomb).lower()


def test_damaged_zip__refused(db):
    data = minimal()
    assert "vioittunut" in _refusal(data[: len(data) // 2])


def _sheet_with_doctype(doctype: bytes) -> bytes:
    data = minimal()
    sheet_name = "xl/worksheets/sheet2.xml"
    original = zipfile.ZipFile(io.BytesIO(data)).read(sheet_name)
    return _rezip(data, replace={sheet_name: _with_doctype(original, doctype)})


def test_entity_declarations__refused_before_any_xml_is_parsed(db):
    laughs = _sheet_with_doctype(b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    assert "DOCTYPE" in _refusal(laughs)


def test_entity_declarations__refused_by_defusedxml_too(db, monkeypatch):
    """If the scan above missed one, openpyxl parses with defusedxml, which refuses it as well."""
    assert openpyxl.DEFUSEDXML is True
    monkeypatch.setattr(safety, "_FORBIDDEN_XML", safety.re.compile(rb"(?!x)x"))
    assert "DOCTYPE" in _refusal(_sheet_with_doctype(b'<!DOCTYPE r [<!ENTITY e "x">]>'))


def test_file_above_the_upload_limit__refused(db, settings):
    settings.JOB_INPUT_MAX_BYTES = 1_500
    assert "Suurin hyväksytty työkirja on 0,0 Mt" in _refusal(minimal())


def test_sheet_that_claims_a_million_rows__read_by_its_real_rows(db):
    """A declared size (the <dimension> element) is never trusted: only rows that exist are read."""
    data = minimal()
    sheet_name = "xl/worksheets/sheet2.xml"
    original = zipfile.ZipFile(io.BytesIO(data)).read(sheet_name)
    claimed = original.replace(b'<dimension ref="A1:F2"/>', b'<dimension ref="A1:XFD1048576"/>')
    book, problems = read_workbook(_rezip(data, replace={sheet_name: claimed}))
    assert not problems.errors and len(book.rows("themes")) == 1


def test_too_many_rows__refused_with_the_limit(db, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    rows = [{"code": str(n), "name_fi": f"Teema {n}"} for n in range(1, 10)]
    _book, problems = read_workbook(minimal(extra={"themes": rows}))
    assert any("enemmän kuin 5 riviä" in p.message for p in problems.errors)


def test_refusal__in_the_persons_language(db):
    with translation.override("sv"):
        assert "Filen är tom" in _refusal(b"")
    with translation.override("en"):
        assert "The file is empty" in _refusal(b"")


def test_shared_strings_bomb__one_huge_part_refused_before_openpyxl_reads_it(db):
    """A shared-strings table of 30 MB packed into a few kilobytes, wired into the workbook as Excel does: under
    the cap on all parts together, over the cap on one part. openpyxl would read it whole into memory."""
    data = minimal()
    archive = zipfile.ZipFile(io.BytesIO(data))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    entries = 1_000_000
    shared = (f'<sst xmlns="{main}" count="{entries}" uniqueCount="{entries}">'.encode()
              + b"<si><t>Palvelurakenne ja kotihoito</t></si>" * entries + b"</sst>")
    types = archive.read("[Content_Types].xml").replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    rels = archive.read("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", (
        b'<Relationship Id="rIdBomb" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    bomb = _rezip(data, replace={"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels},
                  add={"xl/sharedStrings.xml": shared})
    assert len(bomb) < 300_000
    assert safety.MAX_MEMBER_BYTES < len(shared) < safety.MAX_UNCOMPRESSED_BYTES
    assert "zip" in _refusal(bomb).lower()


def test_each_part_under_the_cap__a_programme_workbook_opens(draft):
    from .conftest import exported

    data = exported(draft)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert max(info.file_size for info in archive.infolist()) < safety.MAX_MEMBER_BYTES / 20
    assert read_workbook(data, "ohjelma.xlsx")[0].rows("measures")
