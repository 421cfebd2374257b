"""Stale saves: a form carries the `revision` of the object it was opened on; a save based on an older
revision is refused instead of silently overwriting what someone else saved meanwhile.

The same shape as `karki.programmes.services.StaleEdit` (the programme pages use that one), made
generic for the other apps: `changes` lists field by field what changed since the revision the form
was opened on, read from the object's django-simple-history records, and `authors` who saved it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from karki.lib import formatting

# The revision a form or an API client gives for an object that did not exist when it was read ("I expect
# none yet"). Stored revisions start at 1, so any object found by then is somebody else's.
NOT_YET_SAVED = 0


class StaleEdit(ValidationError):
    """Somebody else saved the object after the form was opened; nothing was saved."""

    def __init__(self, current, expected_revision: int, *, hidden_fields: tuple[str, ...] = ()):
        super().__init__(
            _("Someone else saved this after you opened it. Your changes were not saved; "
              "review the current values below and apply your changes again."),
            code="stale_edit",
        )
        self.current = current
        self.expected_revision = expected_revision
        # modeltranslation's base column (e.g. "name") next to name_fi/name_sv/name_en says less.
        self.hidden_fields = ("revision", *hidden_fields)

    def _records(self):
        history = self.current.history.select_related("history_user").order_by("history_date", "history_id")
        seen = history.filter(revision=self.expected_revision).last()
        later = list(history.filter(history_date__gt=seen.history_date)) if seen else list(history)
        return seen, later

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """[(field label, value when the form was opened, value now)]."""
        seen, later = self._records()
        if not later:
            return []
        fields = {f.name: f for f in type(self.current)._meta.fields}
        if seen is None:
            if self.expected_revision != NOT_YET_SAVED:
                return []
            # Nothing existed when the form was opened: all that is stored now was saved meanwhile.
            latest = later[-1]
            return [(str(f.verbose_name), "–", display(f, getattr(latest, f.attname)))
                    for f in fields.values()
                    if not f.primary_key and f.name not in self.hidden_fields
                    and not _empty(getattr(latest, f.attname))]
        delta = later[-1].diff_against(seen, excluded_fields=list(self.hidden_fields))
        return [
            (str(fields[c.field].verbose_name) if c.field in fields else c.field,
             display(fields.get(c.field), c.old), display(fields.get(c.field), c.new))
            for c in delta.changes
        ]

    @property
    def authors(self) -> list[tuple[object, object]]:
        _seen, later = self._records()
        return [(record.history_user, record.history_date) for record in later]


def check_revision(obj, expected_revision: int | None, *, stale_edit: type[StaleEdit] = StaleEdit,
                   **options) -> None:
    """Refuse the save when the stored revision moved on since the form was opened (`NOT_YET_SAVED`:
    the form was opened when there was nothing yet). The row is locked (on PostgreSQL) until the
    transaction ends, so two saves cannot both pass the check. None checks nothing (the demo loader,
    importers that own what they write)."""
    if expected_revision is None:
        return
    model = type(obj)
    current = model.objects.select_for_update().filter(pk=obj.pk).values_list("revision", flat=True).first()
    if current is not None and current != expected_revision:
        raise stale_edit(model.objects.get(pk=obj.pk), expected_revision, **options)


def _empty(value) -> bool:
    return value is None or value == "" or value is False


def display(field, value) -> str:
    """A stored value as a person reads it: choice labels, related objects by name, euros for money
    (fields named *_eur) and other numbers as written (6,5 rather than 6.5000)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, Decimal):
        if field is None or field.name.endswith("_eur"):
            return formatting.format_eur(value, get_language())
        places = max(-value.normalize().as_tuple().exponent, 0)
        return formatting.format_number(value, get_language(), places)
    if isinstance(value, datetime):
        return formatting.format_datetime(timezone.localtime(value), get_language())
    if isinstance(value, date):
        return formatting.format_date(value, get_language())
    return str(value)
