"""No English in a Finnish or Swedish screen: every scanned page (`karki.browser.pages`) is read in fi and sv,
and any interface text of Kärki's own (a msgid of the translation catalogue) shown there untranslated fails,
named with the page and the text. Content (names, descriptions) is the county's own and is not checked."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from django.conf import settings

from karki.browser.pages import PAGES

PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%%|%[sd]|\{\{.*?\}\}|\{[a-z_]+\}")
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def _field(block: str, name: str) -> str | None:
    m = re.search(rf'^{name} ((?:".*"\n?)+)', block + "\n", re.M)
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))) if m else None


def _entries(path: Path):
    """(msgid, msgstr) pairs of a .po file (plural forms: the singular and the first form)."""
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        msgid = _field(block, "msgid")
        msgstr = _field(block, "msgstr") or _field(block, r"msgstr\[0\]")
        if msgid:
            yield msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"), msgstr or ""


@cache
def english_fragments(language: str) -> frozenset[str]:
    """Pieces of the English interface text long enough to be unmistakable (three words or more), from the
    messages whose translation differs from the English."""
    found = set()
    for msgid, msgstr in _entries(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"):
        if msgid == msgstr:
            continue
        for piece in PLACEHOLDER.split(msgid):
            piece = piece.strip(" .,:;()–-\n")
            if len(piece.split()) >= 3 and len(piece) >= 15:
                found.add(piece)
    return frozenset(found)


def visible_text(page_html: str) -> str:
    body = page_html.split("<body", 1)[-1]
    return " ".join(html.unescape(TAGS.sub(" ", body)).split())


def test_pages__no_untranslated_interface_text_in_finnish_or_swedish(new_context, server):
    problems = []
    tabs = {}
    for page_def in PAGES:
        for language in ("fi", "sv"):
            key = (page_def.user, language)
            if key not in tabs:
                tabs[key] = new_context(page_def.user, language=language)
            response = tabs[key].request.get(server.address(page_def, language))
            text = visible_text(response.text())
            for fragment in english_fragments(language):
                if fragment in text:
                    problems.append(f"{page_def.name} ({language}): {fragment!r}")
    assert not problems, "English shown in Finnish or Swedish pages:\n" + "\n".join(sorted(problems))
