"""Translated content: which language a text is shown in, and whether it is a fallback.

A field left empty in the reader's language falls back fi → sv → en; the UI marks such text
with its own `lang` and says it is shown in another language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, pgettext

# "(in Swedish)": said after a text shown in another language than the reader's.
LANGUAGE_IN = {
    "fi": lambda: pgettext("shown in language", "in Finnish"),
    "sv": lambda: pgettext("shown in language", "in Swedish"),
    "en": lambda: pgettext("shown in language", "in English"),
}

CONTENT_LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
FALLBACK_ORDER: tuple[str, ...] = tuple(settings.MODELTRANSLATION_FALLBACK_LANGUAGES)


@dataclass(frozen=True)
class Text:
    text: str
    lang: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def translated(obj, field: str, language: str | None = None) -> Text:
    language = language or active_language()
    order = [language, *[code for code in FALLBACK_ORDER if code != language]]
    for code in order:
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return Text(value, code, code != language)
    return Text("", language, False)


def translations(obj, field: str) -> dict[str, str | None]:
    """{"fi": …, "sv": …, "en": …} with None for a language that has no text (API form)."""
    return {code: (getattr(obj, f"{field}_{code}", None) or None) for code in CONTENT_LANGUAGES}


def set_translations(obj, field: str, values: dict[str, str | None] | str | None) -> None:
    """Assign {"fi": …} to field_fi, field_sv, field_en; a plain string goes to Finnish."""
    if values is None:
        values = {}
    if isinstance(values, str):
        values = {"fi": values}
    for code in CONTENT_LANGUAGES:
        setattr(obj, f"{field}_{code}", (values.get(code) or "").strip())
    # Keep the untranslated column (used by the admin and ordering) on the first language given.
    first = next((values.get(code) for code in FALLBACK_ORDER if values.get(code)), "")
    obj.__dict__[field] = (first or "").strip()
