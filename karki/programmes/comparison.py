"""Compare two versions of a programme: what was added, removed and changed, and the money
deltas by theme. Items are matched by their code, which the counties keep across versions
(spearhead 1, target 1.2, measure 1.2.b).

A translated text has changed only where a language has text in both versions and the texts
differ (or where no language has text in both: a text in one language replaced by one in
another cannot be told apart from a new text). A language filled in or emptied while the others
stay as they were is a translation added or removed, listed apart from the changes: a version
made from the Swedish document of a Finnish programme changes no content by being in Swedish."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from karki.core.content import FALLBACK_ORDER, Text, active_language, translated, translations
from karki.figures import read as figures
from karki.lib.codes import code_order

from .models import Measure, ProgrammeVersion, Risk, Target, Theme
from .summary import VersionSummary

NO_TEXT = Text("", "fi", False)

COMPARED_FIELDS = {
    Theme: [("name", _("name"))],
    Target: [("name", _("name")), ("estimate", _("estimate")), ("estimate_recurrence", _("recurring or one-off")),
             ("difficulty", _("implementation difficulty")),
             ("potential_class_stated", _("potential class"))],
    Measure: [("name", _("name")), ("horizon", _("realisation horizon")), ("estimate", _("estimate")),
              ("estimate_recurrence", _("recurring or one-off")),
              ("basket", _("basket")), ("difficulty", _("implementation difficulty")),
              ("contingency_rank", _("order of preference")), ("service_level_impact", _("cost in service level")),
              ("service_level_effect", _("what it costs in service level"))],
    Risk: [("title", _("risk")), ("category", _("category")), ("likelihood", _("likelihood")),
           ("impact", _("impact"))],
}
TRANSLATED_NAMES = {"name", "title", "service_level_effect"}
KIND_LABELS = {"theme": _("theme"), "target": _("productivity target"), "measure": _("measure"), "risk": _("risk")}


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


def _language_names(codes: list[str]) -> str:
    return ", ".join(str(get_language_info(code)["name_translated"]).lower() for code in codes)


@dataclass
class TranslationChange:
    """A translated field whose texts stayed as they were, apart from languages filled in or emptied."""

    field: str
    label: str
    added: list[str]  # language codes, in the fallback order
    removed: list[str]

    def __str__(self) -> str:
        """"translation added (Swedish)", in the reader's language."""
        parts = []
        if self.added:
            parts.append(gettext("translation added (%(languages)s)") % {"languages": _language_names(self.added)})
        if self.removed:
            parts.append(gettext("translation removed (%(languages)s)") % {
                "languages": _language_names(self.removed)})
        return "; ".join(parts)


@dataclass
class ItemChange:
    kind: str  # "theme", "target", "measure", "risk"
    code: str
    old: object | None
    new: object | None
    changes: list[FieldChange] = field(default_factory=list)
    translations: list[TranslationChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def row_span(self) -> int:
        return len(self.changes) + len(self.translations)

    @property
    def text_field(self) -> str:
        return "title" if self.kind == "risk" else "name"

    @property
    def status(self) -> str:
        """"translated" when only languages were added or removed: not a change of content."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.changes else "translated"


@dataclass
class ThemeDelta:
    code: str
    old_name: Text  # shown with its own lang when in a fallback language
    new_name: Text
    old_expected: Decimal
    new_expected: Decimal
    old_min: Decimal
    new_min: Decimal
    old_max: Decimal
    new_max: Decimal

    @property
    def delta_expected(self) -> Decimal:
        return self.new_expected - self.old_expected


@dataclass
class Comparison:
    old: ProgrammeVersion
    new: ProgrammeVersion
    old_summary: VersionSummary
    new_summary: VersionSummary
    items: list[ItemChange]
    theme_deltas: list[ThemeDelta]

    def of_status(self, status: str) -> list[ItemChange]:
        return [item for item in self.items if item.status == status]

    @property
    def added(self) -> list[ItemChange]:
        return self.of_status("added")

    @property
    def removed(self) -> list[ItemChange]:
        return self.of_status("removed")

    @property
    def changed(self) -> list[ItemChange]:
        return self.of_status("changed")

    @property
    def translated(self) -> list[ItemChange]:
        """Items whose content is as it was and only gained (or lost) a language."""
        return self.of_status("translated")

    @property
    def translated_groups(self) -> list[tuple[str, list[ItemChange]]]:
        """The translated items by what happened to them ("name: translation added (Swedish)"), in order:
        a version made from another language's document lists one line for most of its items."""
        groups: dict[str, list[ItemChange]] = {}
        for item in self.translated:
            what = "; ".join(f"{translation.label}: {translation}" for translation in item.translations)
            groups.setdefault(what, []).append(item)
        return list(groups.items())

    @property
    def total_delta_expected(self) -> Decimal:
        return self.new_summary.total.expected - self.old_summary.total.expected


def _display(obj, name: str):
    if obj is None:
        return None
    getter = getattr(obj, f"get_{name}_display", None)
    if getter and getattr(obj, name):
        return getter()
    return getattr(obj, name)


def _compare_texts(a, b, name: str, label: str) -> FieldChange | TranslationChange | None:
    olds, news = translations(a, name), translations(b, name)
    in_both = [code for code in FALLBACK_ORDER if olds[code] and news[code]]
    differing = [code for code in in_both if olds[code] != news[code]]
    if differing or (not in_both and olds != news):
        return FieldChange(name, label, *_shown_texts(a, b, name, differing))
    added = [code for code in FALLBACK_ORDER if news[code] and not olds[code]]
    removed = [code for code in FALLBACK_ORDER if olds[code] and not news[code]]
    if added or removed:
        return TranslationChange(name, label, added, removed)
    return None


def _shown_texts(a, b, name: str, differing: list[str]) -> tuple[Text, Text]:
    """The two texts in the reader's language where it differs there; otherwise in the first language
    that differs (a Finnish name edited under an unchanged Swedish one is shown to a Swedish reader
    in Finnish, not as the same Swedish text twice), marked with its language."""
    reader = active_language()
    if not differing or reader in differing:
        return translated(a, name), translated(b, name)
    code = differing[0]
    return Text(getattr(a, f"{name}_{code}"), code, True), Text(getattr(b, f"{name}_{code}"), code, True)


def compare(old: ProgrammeVersion, new: ProgrammeVersion) -> Comparison:
    items: list[ItemChange] = []
    for model, kind in ((Theme, "theme"), (Target, "target"), (Measure, "measure"), (Risk, "risk")):
        olds = {o.code: o for o in model.objects.filter(version=old)}
        news = {o.code: o for o in model.objects.filter(version=new)}
        for code in sorted(set(olds) | set(news), key=code_order):
            a, b = olds.get(code), news.get(code)
            item = ItemChange(kind, code, a, b)
            if a is not None and b is not None:
                for name, label in COMPARED_FIELDS[model]:
                    if name in TRANSLATED_NAMES:
                        difference = _compare_texts(a, b, name, str(label))
                        if isinstance(difference, FieldChange):
                            item.changes.append(difference)
                        elif difference is not None:
                            item.translations.append(difference)
                    elif getattr(a, name) != getattr(b, name):
                        item.changes.append(FieldChange(name, str(label), _display(a, name), _display(b, name)))
                if not item.changes and not item.translations:
                    continue
            items.append(item)
    old_summary, new_summary = figures.summary(old), figures.summary(new)
    old_themes = {row.theme.code: row for row in old_summary.themes}
    new_themes = {row.theme.code: row for row in new_summary.themes}
    deltas = []
    zero = Decimal(0)
    for code in sorted(set(old_themes) | set(new_themes), key=code_order):
        a, b = old_themes.get(code), new_themes.get(code)
        deltas.append(ThemeDelta(
            code=code,
            old_name=translated(a.theme, "name") if a else NO_TEXT,
            new_name=translated(b.theme, "name") if b else NO_TEXT,
            old_expected=a.rollup.expected if a else zero, new_expected=b.rollup.expected if b else zero,
            old_min=a.rollup.minimum if a else zero, new_min=b.rollup.minimum if b else zero,
            old_max=a.rollup.maximum if a else zero, new_max=b.rollup.maximum if b else zero,
        ))
    return Comparison(old, new, old_summary, new_summary, items, deltas)


