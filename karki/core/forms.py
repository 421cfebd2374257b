"""Form helpers shared by the apps: translated content inputs and money inputs."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from karki.lib.formatting import MoneyParseError, format_meur, format_number, parse_money

from .content import CONTENT_LANGUAGES

LANGUAGE_NAMES = {"fi": _("in Finnish"), "sv": _("in Swedish"), "en": _("in English")}


def apply_errors(form, error: ValidationError) -> None:
    """Show a refused save on its form. A stale edit keeps what the person typed, shows what changed
    meanwhile (`form.conflict`) and takes the current revision, so that saving again is deliberate."""
    from .conflicts import StaleEdit

    if isinstance(error, StaleEdit):
        form.conflict = error
        data = form.data.copy()
        data[form.add_prefix("revision")] = error.current.revision  # forms of a batch page have a prefix
        form.data = data
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


class MoneyField(forms.CharField):
    """Euros typed the Finnish way: "1,4 M€", "1 400 000", "250000 €"."""

    default_error_messages = {
        "invalid": _('Enter an amount in euros, for example "1 400 000" or "1,4 M€".'),
        "too_large": _("Enter an amount of at most %(limit)s."),
    }

    def __init__(self, *args, max_abs: Decimal | None = None, **kwargs):
        """`max_abs`: the largest amount, either way, that makes sense here (None: any)."""
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _('In euros; "1,4 M€" is also understood.'))
        self.max_abs = max_abs
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            return value
        return format_number(value, "fi", 0 if value == int(value) else 2).replace("\u202f", " ")

    def to_python(self, value):
        value = super().to_python(value)
        try:
            amount = parse_money(value)
        except MoneyParseError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if amount is not None and self.max_abs is not None and abs(amount) > self.max_abs:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large",
                                        params={"limit": format_meur(self.max_abs, get_language(), places=0)})
        return amount


class TranslatedFieldsMixin:
    """Adds <name>_fi, <name>_sv, <name>_en inputs for each translated field of the form.

    `translated_fields = {"name": (label, required_any, widget)}`: at least one language must be
    given when `required_any` is true.
    """

    translated_fields: dict[str, tuple] = {}

    def _add_translated_fields(self, instance=None):
        for name, (label, _required, widget) in self.translated_fields.items():
            for code in CONTENT_LANGUAGES:
                field_name = f"{name}_{code}"
                self.fields[field_name] = forms.CharField(
                    label=f"{label} ({LANGUAGE_NAMES[code]})", required=False, widget=widget(),
                    max_length=None if widget is forms.Textarea else 300,
                )
                self.fields[field_name].widget.attrs["lang"] = code
                if instance is not None:
                    self.initial.setdefault(field_name, getattr(instance, field_name, "") or "")

    def clean(self):
        cleaned = super().clean()
        self.clean_translations(cleaned)
        return cleaned

    def clean_translations(self, cleaned):
        for name, (label, required, _widget) in self.translated_fields.items():
            if required and not any(cleaned.get(f"{name}_{code}") for code in CONTENT_LANGUAGES):
                self.add_error(f"{name}_fi", _("Give the %(field)s in at least one language.") % {"field": label})

    def translated_values(self, name: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{name}_{code}", "") for code in CONTENT_LANGUAGES}

    def translated_groups(self):
        """[(label, [bound fields])] for rendering each group as a fieldset."""
        return [
            (label, [self[f"{name}_{code}"] for code in CONTENT_LANGUAGES])
            for name, (label, _r, _w) in self.translated_fields.items()
        ]

    def plain_fields(self):
        translated = {f"{n}_{c}" for n in self.translated_fields for c in CONTENT_LANGUAGES}
        return [self[name] for name in self.fields if name not in translated and not self.fields[name].widget.is_hidden]
