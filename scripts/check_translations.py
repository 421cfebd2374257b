"""Fail when a Finnish or Swedish message is missing, fuzzy or not compiled.

Run by `make check` and CI: every msgid in locale/{fi,sv}/LC_MESSAGES/django.po must have a
non-empty, non-fuzzy translation, and the .mo file must be newer than the .po file.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def entries(po_text: str):
    block: list[str] = []
    for line in po_text.splitlines() + [""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            yield block
        block = []


def problems(path: Path) -> list[str]:
    found = []
    for block in entries(path.read_text(encoding="utf-8")):
        text = "\n".join(block)
        ids = re.search(r'^msgid "(.*?)"\n((?:".*"\n?)*)', text + "\n", re.M)
        if not ids:
            continue
        full_id = ids.group(1) + "".join(re.findall(r'"(.*)"', ids.group(2)))
        if full_id == "":
            continue  # the header
        if "#, fuzzy" in text or ", fuzzy" in text:
            found.append(f"fuzzy: {full_id!r}")
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*?)"\n((?:".*"\n?)*)', text + "\n", re.M)
        if not strs or any((a + "".join(re.findall(r'"(.*)"', b))) == "" for a, b in strs):
            found.append(f"missing: {full_id!r}")
    return found


def main() -> int:
    failed = False
    for lang in ("fi", "sv"):
        po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not po.exists():
            print(f"{po}: missing")
            failed = True
            continue
        issues = problems(po)
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            issues.append("not compiled (run make messages)")
        for issue in issues:
            print(f"{lang}: {issue}")
        failed |= bool(issues)
    if not failed:
        print("Translations complete: fi, sv")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
