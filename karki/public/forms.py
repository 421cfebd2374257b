"""The public site's settings forms: they check the shape of input; the rules (publishing needs an approved
version and a contact) live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from karki.core.content import CONTENT_LANGUAGES
from karki.core.forms import TranslatedFieldsMixin

from .enums import Visibility

# "Suomeksi": a fieldset of one language's texts on the entry page.
LANGUAGE_LEGENDS = {"fi": _("In Finnish"), "sv": _("In Swedish"), "en": _("In English")}


class RevisionField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, min_value=0, **kwargs)


class SiteForm(TranslatedFieldsMixin, forms.Form):
    is_published = forms.BooleanField(
        label=_("Published to residents"), required=False,
        help_text=_("The public site can be read by anybody without signing in, in Finnish, Swedish and English. "
                    "It shows the latest approved version, never a draft."))
    contact_name = forms.CharField(
        label=_("Contact person"), required=False, max_length=200,
        help_text=_("Shown on the public site. Leave empty to show only the address."))
    contact_email = forms.EmailField(label=_("Contact and feedback address"), required=False,
                                     help_text=_("An e-mail address residents can write to."))
    feedback_url = forms.URLField(
        label=_("Feedback form"), required=False, assume_scheme="https",
        help_text=_("The address of the county's feedback form, if it has one. A contact address or a "
                    "feedback form is needed before publishing."))
    revision = RevisionField()

    translated_fields = {"resident_text": (_("What changes for residents"), False, forms.Textarea)}

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translated_fields(site)
        for code in CONTENT_LANGUAGES:
            field = self.fields[f"resident_text_{code}"]
            field.widget.attrs["rows"] = 5
            field.help_text = _("For the whole programme, in plain language: what changes for the people of the "
                                "area.") if code == CONTENT_LANGUAGES[0] else ""
        self.initial.setdefault("revision", site.revision if site is not None else 0)
        if site is not None:
            for name in ("is_published", "contact_name", "contact_email", "feedback_url"):
                self.initial.setdefault(name, getattr(site, name))

    def contact_fields(self):
        return [self[name] for name in ("contact_name", "contact_email", "feedback_url")]


class EntryForm(TranslatedFieldsMixin, forms.Form):
    visibility = forms.ChoiceField(
        label=_("On the public site"), choices=Visibility.choices,
        help_text=_("By default a theme is public, and so is a measure of a public theme, except a basket C "
                    "measure that management has not yet decided on. A measure of a theme that is not public is "
                    "never shown."))
    revision = RevisionField()

    translated_fields = {
        "resident_text": (_("What changes for residents"), False, forms.Textarea),
        "services": (_("Services"), False, forms.TextInput),
        "areas": (_("Municipalities or areas"), False, forms.TextInput),
    }
    HELP = {
        "resident_text": _("In plain language, for the people of the area: what they will notice, and from when."),
        "services": _("The services it concerns, separated by commas, for example: health centres, home care. "
                      "Residents can look for changes by service."),
        "areas": _("The municipalities or areas it concerns, separated by commas; empty for the whole county."),
    }

    def __init__(self, *args, entry=None, default_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translated_fields(entry)
        for name in self.translated_fields:
            for code in CONTENT_LANGUAGES:
                self.fields[f"{name}_{code}"].help_text = self.HELP[name]
                if name == "resident_text":
                    self.fields[f"{name}_{code}"].widget.attrs["rows"] = 5
        if default_label:
            self.fields["visibility"].choices = [
                (value, default_label if value == Visibility.DEFAULT else label)
                for value, label in Visibility.choices]
        self.initial.setdefault("visibility", entry.visibility if entry is not None else Visibility.DEFAULT)
        self.initial.setdefault("revision", entry.revision if entry is not None else 0)

    def language_groups(self):
        """[(legend, lang, [bound fields])]: one fieldset per language, so that a text is written in one
        language at a time."""
        return [(LANGUAGE_LEGENDS[code], code, [self[f"{name}_{code}"] for name in self.translated_fields])
                for code in CONTENT_LANGUAGES]


class VisibilityForm(forms.Form):
    """The list of themes and measures: a choice per row, with the revision and the choice it was opened on
    (hidden), so that only rows the person changed are saved and a row somebody else saved meanwhile is
    noticed."""

    def __init__(self, *args, rows, default_labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            choices = [(value, default_labels[row.key] if value == Visibility.DEFAULT else label)
                       for value, label in Visibility.choices]
            # Not required: a row left out of a post is a row not changed.
            self.fields[f"v-{row.key}"] = forms.ChoiceField(
                label=_("On the public site: %(code)s") % {"code": row.code}, choices=choices,
                initial=row.visibility, required=False)
            self.fields[f"was-{row.key}"] = forms.ChoiceField(
                choices=Visibility.choices, widget=forms.HiddenInput, initial=row.visibility, required=False)
            self.fields[f"rev-{row.key}"] = RevisionField(initial=row.revision)

    def choice(self, row):
        return self[f"v-{row.key}"]

    def changes(self) -> dict[tuple[str, str], str]:
        """{(kind, code): visibility} of the rows whose choice differs from the one they were opened with."""
        data = self.cleaned_data
        changed = {}
        for row in self.rows:
            chosen, was = data.get(f"v-{row.key}"), data.get(f"was-{row.key}") or row.visibility
            if chosen and chosen != was:
                changed[(row.kind, row.code)] = chosen
        return changed

    def revisions(self) -> dict[tuple[str, str], int]:
        data = self.cleaned_data
        return {(row.kind, row.code): data[f"rev-{row.key}"] or 0 for row in self.rows}

    def reopen(self, conflict) -> None:
        """After a conflict: keep every choice made, and take what is stored now as the basis of the next
        save for the rows somebody else saved, so that saving again is deliberate."""
        data = self.data.copy()
        for (kind, code), entry in conflict.current.items():
            key = f"{kind}-{code}"
            data[f"rev-{key}"] = entry.revision if entry is not None else 0
            data[f"was-{key}"] = entry.visibility if entry is not None else Visibility.DEFAULT
        self.data = data

