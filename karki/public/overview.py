"""What the programme office's settings pages show: the themes and measures a public site can hold, each
with its setting and what residents see of it as a result.

Whether something is shown is decided by `reading.is_public` and `reading.decided_codes`, the same
definition the public site is made with; this module only lays the answer out for the office, in
words. The structure is that of the latest approved version (what residents read), with the themes
and measures that exist only in the current draft added, so that their texts can be written before
the draft is approved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from karki.core.content import CONTENT_LANGUAGES
from karki.core.forms import LANGUAGE_NAMES
from karki.programmes.enums import Basket, VersionStatus
from karki.programmes.models import Measure, ProgrammeVersion, Theme

from .enums import EntryKind, Visibility
from .models import PublicEntry, PublicSite
from .reading import decided_codes, is_public, public_version


def languages_text(codes: list[str]) -> str:
    """"in Finnish, in Swedish": the languages a text is written in."""
    return ", ".join(str(LANGUAGE_NAMES[code]) for code in codes)


def _written_in(obj) -> list[str]:
    if obj is None:
        return []
    return [code for code in CONTENT_LANGUAGES if getattr(obj, f"resident_text_{code}", "")]


@dataclass(frozen=True)
class Versions:
    approved: ProgrammeVersion | None  # the one residents read
    draft: ProgrammeVersion | None

    def __iter__(self):
        return iter(version for version in (self.approved, self.draft) if version is not None)


def versions(programme) -> Versions:
    draft = (ProgrammeVersion.objects.for_programme(programme).filter(status=VersionStatus.DRAFT)
             .latest_first().first())
    return Versions(approved=public_version(programme), draft=draft)


def find_content(programme, kind: str, code: str, found: Versions | None = None) -> Theme | Measure | None:
    """The theme or measure `code` of the latest approved version, else of the current draft."""
    model = {EntryKind.THEME: Theme, EntryKind.MEASURE: Measure}.get(kind)
    if model is None:
        return None
    for version in found or versions(programme):
        obj = model.objects.filter(version=version, code=code).select_related("version").first()
        if obj is not None:
            return obj
    return None


@dataclass
class Row:
    kind: str
    obj: Theme | Measure
    entry: PublicEntry | None
    draft_only: bool
    public: bool  # shown to residents while the site is published
    state: str  # what residents see, in words
    default_public: bool  # what "by default" means for this row
    theme_public: bool = True

    @property
    def code(self) -> str:
        return self.obj.code

    @property
    def visibility(self) -> str:
        return self.entry.visibility if self.entry is not None else Visibility.DEFAULT

    @property
    def revision(self) -> int:
        return self.entry.revision if self.entry is not None else 0

    @property
    def basket(self) -> str:
        return getattr(self.obj, "basket", "") or ""

    @property
    def text_languages(self) -> list[str]:
        """The languages in which residents can read what it changes for them."""
        return _written_in(self.entry)

    @property
    def text_languages_label(self) -> str:
        return languages_text(self.text_languages)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.code}"


@dataclass
class Group:
    theme: Row | None  # None: the contingency measures of baskets B and C, which belong to no theme
    measures: list[Row] = field(default_factory=list)


@dataclass
class Overview:
    site: PublicSite | None
    versions: Versions
    groups: list[Group]

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in ([group.theme] if group.theme else []) + group.measures]

    def _counted(self, kind: str) -> list[Row]:
        return [row for row in self.rows if row.kind == kind and not row.draft_only]

    @property
    def themes(self) -> list[Row]:
        return self._counted(EntryKind.THEME)

    @property
    def measures(self) -> list[Row]:
        return self._counted(EntryKind.MEASURE)

    @property
    def public_themes(self) -> list[Row]:
        return [row for row in self.themes if row.public]

    @property
    def public_measures(self) -> list[Row]:
        return [row for row in self.measures if row.public]

    @property
    def public_count(self) -> int:
        return len(self.public_themes) + len(self.public_measures)

    @property
    def public_with_text(self) -> list[Row]:
        return [row for row in self.public_themes + self.public_measures if row.text_languages]

    @property
    def site_text_languages(self) -> str:
        """The languages the programme's own text for residents is written in, in words ("" for none)."""
        return languages_text(_written_in(self.site))

    @property
    def published(self) -> bool:
        return bool(self.site and self.site.is_published and self.versions.approved)

    @property
    def missing(self) -> list[str]:
        """What publishing still needs, in words (nothing when it can be published)."""
        needs = []
        if self.versions.approved is None:
            needs.append(_("an approved version of the programme: residents only ever see an approved one"))
        if not (self.site and (self.site.contact_email or self.site.feedback_url)):
            needs.append(_("a contact address or a feedback form, so that residents can reach the programme"))
        return needs


def _state(kind, obj, entry, *, public: bool, theme_public: bool, draft_only: bool, draft_number) -> str:
    visibility = entry.visibility if entry is not None else Visibility.DEFAULT
    if draft_only:
        return _("Not yet: only in draft version %(number)s, shown once it is approved") % {"number": draft_number}
    if public:
        return _("Public (chosen)") if visibility == Visibility.PUBLIC else _("Public (by default)")
    if kind == EntryKind.MEASURE and not theme_public:
        return _("Not public: its theme is not public")
    if visibility == Visibility.PRIVATE:
        return _("Not public (chosen)")
    if kind == EntryKind.MEASURE and obj.basket == Basket.C:
        return _("Not public: basket C not yet decided")
    return _("Not public")


def overview(programme) -> Overview:
    found = versions(programme)
    site = PublicSite.objects.filter(programme=programme).select_related("updated_by").first()
    entries = {(e.kind, e.code): e for e in PublicEntry.objects.filter(programme=programme)}
    decided = decided_codes(programme)
    primary = found.approved or found.draft
    extra = found.draft if found.approved is not None else None
    draft_number = found.draft.number if found.draft else None

    def row(kind, obj, *, draft_only: bool, theme_public: bool = True) -> Row:
        entry = entries.get((kind, obj.code))
        public = not draft_only and is_public(kind, obj, entry, theme_public=theme_public, decided=decided)
        return Row(kind=kind, obj=obj, entry=entry, draft_only=draft_only, public=public,
                   state=_state(kind, obj, entry, public=public, theme_public=theme_public, draft_only=draft_only,
                                draft_number=draft_number),
                   default_public=is_public(kind, obj, None, decided=decided), theme_public=theme_public)

    groups: dict[str, Group] = {}
    loose = Group(theme=None)
    for version, draft_only in ((primary, False), (extra, True)):
        if version is None:
            continue
        draft_only = draft_only or version.status == VersionStatus.DRAFT
        for theme in Theme.objects.filter(version=version).order_by("order", "code"):
            if theme.code not in groups:
                groups[theme.code] = Group(theme=row(EntryKind.THEME, theme, draft_only=draft_only))
        shown = {r.code for group in [*groups.values(), loose] for r in group.measures}
        for measure in (Measure.objects.filter(version=version).select_related("target__theme")
                        .order_by("order", "code")):
            if measure.code in shown:
                continue
            theme_code = measure.target.theme.code if measure.target_id else None
            group = groups.get(theme_code, loose) if theme_code else loose
            theme_public = group.theme.public or group.theme.draft_only if group.theme else True
            group.measures.append(row(EntryKind.MEASURE, measure, draft_only=draft_only, theme_public=theme_public))
    ordered = list(groups.values()) + ([loose] if loose.measures else [])
    return Overview(site=site, versions=found, groups=ordered)
