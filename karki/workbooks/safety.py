"""Checks on an uploaded file before any spreadsheet library reads it.

An .xlsx is a zip of XML files. Before openpyxl opens one, this module makes sure that it is one
(and not a renamed PDF, CSV, old .xls, OpenDocument or macro workbook), that its members are few and
small once uncompressed, each and all together (a zip bomb declares sizes it does not keep: Python's
zipfile stops at the declared size and then fails the checksum, so the declared sizes are the ones that
count), and that no
XML member declares a document type or entities (the "billion laughs" attack). openpyxl itself parses
with defusedxml, a dependency of Kärki, which refuses entities a second time.

Merged cells are found here too: openpyxl's read-only mode does not report them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from karki.lib.formatting import format_number

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all members together, once uncompressed
# Any one member, once uncompressed. openpyxl reads the whole shared-strings table (xl/sharedStrings.xml)
# into memory, many times its size as Python strings, before the first row; a programme workbook's largest
# part is a few megabytes.
MAX_MEMBER_BYTES = 20 * 1024 * 1024
_CHUNK = 1024 * 1024

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected (encrypted) workbooks
_ZIP = b"PK\x03\x04"
_FORBIDDEN_XML = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


class WorkbookProblem(Exception):
    """A refusal whose message is for the person: what is wrong and what to do, in their language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class UnreadableWorkbook(WorkbookProblem):
    """The file cannot be imported at all."""


@dataclass
class CheckedFile:
    data: bytes
    members: list[str] = field(default_factory=list)


def check_file(data: bytes, file_name: str = "") -> CheckedFile:
    """Refuse what is not a plain .xlsx workbook of a sensible size; raises `UnreadableWorkbook`."""
    if not data:
        raise UnreadableWorkbook(_("The file is empty. Choose the workbook (.xlsx) again."))
    limit = settings.JOB_INPUT_MAX_BYTES
    if len(data) > limit:
        raise UnreadableWorkbook(_("The file is too large: the largest workbook accepted is %(limit)s MB.")
                                 % {"limit": megabytes(limit)})
    name = (file_name or "").lower()
    if data.startswith(_OLE2):
        raise UnreadableWorkbook(_(
            "The file is an old Excel workbook (.xls) or a password-protected one. Open it in Excel, remove "
            "the password if it has one, and save it as an Excel workbook (.xlsx)."))
    if data.startswith(b"%PDF"):
        raise UnreadableWorkbook(_("The file is a PDF document, not an Excel workbook. Choose the .xlsx file."))
    if not data.startswith(_ZIP):
        if name.endswith((".csv", ".txt", ".tsv")) or _looks_like_text(data):
            raise UnreadableWorkbook(_(
                "The file is a text (CSV) file, not an Excel workbook. Open it in Excel and save it as an "
                "Excel workbook (.xlsx), using the sheets and columns of the template."))
        raise UnreadableWorkbook(_("The file is not an Excel workbook (.xlsx). Choose the .xlsx file."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UnreadableWorkbook(_("The file is damaged or is not an Excel workbook. Save it again in Excel "
                                   "as .xlsx and try again.")) from exc
    with archive:
        names = {info.filename for info in infos}
        if "mimetype" in names and b"opendocument" in _read_small(archive, "mimetype"):
            raise UnreadableWorkbook(_(
                "The file is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook (.xlsx): in "
                "LibreOffice choose File › Save as › Excel 2007-365."))
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UnreadableWorkbook(_("The file is a zip archive but not an Excel workbook (.xlsx). Choose the "
                                       ".xlsx file."))
        if len(infos) > MAX_MEMBERS:
            raise UnreadableWorkbook(_("The workbook has too many parts to be a programme workbook."))
        if any(info.flag_bits & 0x1 for info in infos):
            raise UnreadableWorkbook(_("The workbook is encrypted. Remove the password in Excel and save it "
                                       "again."))
        if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES or any(
                info.file_size > MAX_MEMBER_BYTES for info in infos):
            raise UnreadableWorkbook(_(
                "The workbook is far larger once unpacked than a programme workbook can be (it may be a "
                "\"zip bomb\"). It was not opened."))
        content_types = _read_small(archive, "[Content_Types].xml")
        if b"macroEnabled" in content_types or any(n.lower().endswith("vbaproject.bin") for n in names):
            raise UnreadableWorkbook(_(
                "The workbook contains macros (.xlsm). Kärki does not accept macros: save it in Excel as an "
                "Excel workbook (.xlsx) without macros."))
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _contains(archive, info, _FORBIDDEN_XML):
                raise UnreadableWorkbook(_(
                    "The workbook contains XML declarations (DOCTYPE or ENTITY) that Excel never writes; "
                    "they are used in attacks, so the file was not opened. Save the workbook again in Excel."))
    return CheckedFile(data=data, members=sorted(names))


def megabytes(size: int) -> str:
    """1,5 (fi) — megabytes as the job pages count them (a million bytes)."""
    return format_number(Decimal(size) / 1_000_000, get_language(), 1)


def merged_ranges(data: bytes, member: str) -> list[str]:
    """The merged ranges ("A5:C5") of one worksheet, read from its XML."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = member.lstrip("/")
        if member not in archive.namelist():
            return found
        with archive.open(member) as stream:
            tail = b""
            while chunk := stream.read(_CHUNK):
                buffer = tail + chunk
                for match in _MERGE.finditer(buffer):
                    ref = match.group(1).decode("ascii")
                    if ref not in found:
                        found.append(ref)
                tail = buffer[-200:]
    return found


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    try:
        with archive.open(name) as stream:
            return stream.read(limit)
    except (KeyError, zipfile.BadZipFile, OSError):
        return b""


def _contains(archive: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern) -> bool:
    try:
        with archive.open(info) as stream:
            tail = b""
            while chunk := stream.read(_CHUNK):
                if pattern.search(tail + chunk):
                    return True
                tail = chunk[-20:]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise UnreadableWorkbook(_("The file is damaged or is not an Excel workbook. Save it again in Excel "
                                   "as .xlsx and try again.")) from exc
    return False


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True
