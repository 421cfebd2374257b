"""Writes of the books: importing a file (actual costs or a baseline) and finance's mapping of cost
centres and accounts. HTML views, the background job and the management command all call these.

Idempotency of an import (docs/decisions.md): a file whose bytes were imported before and are still in
use is recognised by its SHA-256 fingerprint and nothing is written (the result names the earlier
import). Any other file *replaces* what the organisation holds for the months it covers (actual costs)
or the years it covers (a baseline): the financial system's export of a month is the whole truth of that
month, so a corrected export is simply imported again. The replaced import keeps its record (who, when,
which file) with the import that replaced it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from karki.lib import dates
from karki.organisations.models import OrgUnit

from . import reading
from .enums import MAPPABLE_CATEGORIES, BatchKind
from .models import AccountMapping, BaselineEntry, CostCentreMapping, ImportBatch, LedgerEntry, LedgerKey

BATCH_SIZE = 5000


class BooksImportError(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, message: str, *, errors: list[reading.RowError] | None = None, error_count: int = 0):
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.error_count = error_count or len(self.errors)


@dataclass
class ImportResult:
    batch: ImportBatch
    already: bool = False  # the same file was imported before: nothing was written
    replaced: list[ImportBatch] = field(default_factory=list)
    new_keys: int = 0
    unmapped_keys: int = 0


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def import_file(*, organisation, kind: str, data: bytes, file_name: str, by, label: str = "",
                progress=None) -> ImportResult:
    """Check every row of the file, then write all of it in one transaction, or nothing."""
    kind = BatchKind(kind)
    digest = fingerprint(data)
    earlier = (ImportBatch.objects.filter(organisation=organisation, kind=kind, file_sha256=digest,
                                          replaced_by__isnull=True).select_related("imported_by").first())
    if earlier is not None:
        return ImportResult(batch=earlier, already=True)
    try:
        found = reading.read_file(data, file_name, kind, progress=progress)
    except reading.UnreadableFile as error:
        raise BooksImportError(str(error)) from error
    units: dict[str, int] = {}
    if kind == BatchKind.BASELINE:
        units = dict(OrgUnit.objects.filter(organisation=organisation).values_list("code", "pk"))
        for row in found.rows:
            if row[5] and row[5] not in units:
                found.error(row[0], reading.ORG_UNIT, _("No org unit has the code “%(code)s”.") % {"code": row[5]})
    if not found.ok:
        raise BooksImportError(
            ngettext("Nothing was imported: %(count)s problem was found in the file.",
                     "Nothing was imported: %(count)s problems were found in the file.", found.error_count)
            % {"count": found.error_count},
            errors=found.errors, error_count=found.error_count)
    if not found.rows:
        raise BooksImportError(_("Nothing was imported: the file has no rows under its header."))
    if kind == BatchKind.BASELINE and not label.strip():
        raise ValidationError({"label": _("Give the baseline a name, for example “TA 2024”.")})
    if progress:
        progress(45, _("Saving the rows"))
    with transaction.atomic():
        result = _write(organisation, kind, found, digest=digest, file_name=file_name, label=label.strip(), by=by,
                        units=units, progress=progress)
    if connection.vendor in ("postgresql", "sqlite") and not connection.in_atomic_block and len(found.rows) > 10_000:
        # Fresh statistics for the reconciliation's plans after a large import (PostgreSQL's autovacuum would
        # come later, SQLite has none): without them the list of unmapped rows took 110 ms instead of 40.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(LedgerEntry._meta.db_table)}")
    return result


def _slices(kind: str, rows: list[tuple]) -> list[str]:
    if kind == BatchKind.ACTUALS:
        return sorted({f"{row[1]:04d}-{row[2]:02d}" for row in rows})
    return sorted({f"{row[1]:04d}" for row in rows})


def _keys(organisation, pairs: set[tuple[str, str]]) -> tuple[dict[tuple[str, str], int], int]:
    """The keys of `pairs`, made where missing; and how many were new."""
    known = {}
    existing = LedgerKey.objects.filter(organisation=organisation).values_list("cost_centre", "account", "pk")
    for cost_centre, account, pk in existing.iterator(chunk_size=10_000):
        if (cost_centre, account) in pairs:
            known[(cost_centre, account)] = pk
    missing = [LedgerKey(organisation=organisation, cost_centre=c, account=a) for c, a in pairs - known.keys()]
    if missing:
        LedgerKey.objects.bulk_create(missing, batch_size=BATCH_SIZE, ignore_conflicts=True)
        for cost_centre, account, pk in LedgerKey.objects.filter(organisation=organisation).values_list(
                "cost_centre", "account", "pk").iterator(chunk_size=10_000):
            if (cost_centre, account) in pairs:
                known[(cost_centre, account)] = pk
    return known, len(missing)


def _write(organisation, kind, found: reading.ReadFile, *, digest, file_name, label, by, units, progress):
    slices = _slices(kind, found.rows)
    covered = set(slices)
    replaced = [b for b in ImportBatch.objects.filter(organisation=organisation, kind=kind, replaced_by__isnull=True)
                if covered & set(b.slices)]
    batch = ImportBatch.objects.create(
        organisation=organisation, kind=kind, label=label, file_name=file_name[:255], file_sha256=digest,
        row_count=len(found.rows), total_eur=found.total, slices=slices, imported_at=dates.now(), imported_by=by)
    if kind == BatchKind.ACTUALS:
        months: dict[int, list[int]] = {}
        for key in slices:
            months.setdefault(int(key[:4]), []).append(int(key[5:]))
        where = Q()
        for year, listed in months.items():
            where |= Q(year=year, month__in=listed)
        LedgerEntry.objects.filter(where, organisation=organisation).delete()
        pairs = {(row[3], row[4]) for row in found.rows}
    else:
        BaselineEntry.objects.filter(organisation=organisation, year__in=[int(s) for s in slices]).delete()
        pairs = {(row[3], row[4]) for row in found.rows if row[3]}
    keys, new_keys = _keys(organisation, pairs)
    if replaced:
        ImportBatch.objects.filter(pk__in=[b.pk for b in replaced]).update(replaced_by=batch)
    if new_keys:
        resolve_keys(organisation)
    mapped = {pk: (unit, category) for pk, unit, category in LedgerKey.objects.filter(
        organisation=organisation).values_list("pk", "org_unit_id", "category").iterator(chunk_size=10_000)}
    _insert(organisation, kind, found.rows, keys, mapped, units, batch, progress)
    unmapped = sum(1 for pk in set(keys.values()) if mapped[pk][0] is None or not mapped[pk][1])
    return ImportResult(batch=batch, replaced=replaced, new_keys=new_keys, unmapped_keys=unmapped)


def _insert(organisation, kind, rows, keys, mapped, units, batch, progress) -> None:
    org_id, batch_id, total = organisation.pk, batch.pk, len(rows)
    for start in range(0, total, BATCH_SIZE):
        chunk = rows[start:start + BATCH_SIZE]
        if kind == BatchKind.ACTUALS:
            values = []
            for r in chunk:
                key = keys[(r[3], r[4])]
                values.append((org_id, r[1], r[2], key, r[5], batch_id, *mapped[key]))
            _insert_entries(values)
        else:
            objects = [BaselineEntry(organisation_id=org_id, year=r[1], month=r[2],
                                     key_id=keys[(r[3], r[4])] if r[3] else None,
                                     org_unit_id=units[r[5]] if r[5] else None, category=r[6], amount_eur=r[7],
                                     batch_id=batch_id) for r in chunk]
            BaselineEntry.objects.bulk_create(objects)
        if progress:
            done = min(start + BATCH_SIZE, total)
            progress(45 + 50 * done // total, _("Saved %(done)s of %(total)s rows") % {"done": done, "total": total})


def _insert_entries(values: list[tuple]) -> None:
    """Rows of the books straight through the database cursor: a year of a county's books is 200 000 rows,
    and building a model instance for each (bulk_create) took three quarters of the import's time. The
    values are already checked and typed (ints, Decimal), as the ORM would pass them; LedgerEntry has no
    signals, history or defaults that this bypasses. PostgreSQL takes them with COPY (a row at a time
    through executemany took 14 s for a year), SQLite with executemany in the same transaction."""
    meta = LedgerEntry._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column)
                        for name in ("organisation", "year", "month", "key", "amount_eur", "batch", "org_unit",
                                     "category"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        cursor.executemany(f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                           values)


# -- The mapping ---------------------------------------------------------------------------------


def account_order(account: str) -> tuple:
    """How accounts compare in a range: as numbers when they are digits (so that 450 < 4100), else as text."""
    text = account.strip()
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _span(mapping: AccountMapping) -> tuple:
    first, last = account_order(mapping.first_account), account_order(mapping.last_account)
    width = last[1] - first[1] if first[0] == last[0] == 0 else (0 if first == last else 10 ** 12)
    return (width, mapping.pk or 0)


def category_of(account: str, mappings: list[AccountMapping]) -> str:
    """The category the narrowest range holding `account` gives it, or "" when none does."""
    order = account_order(account)
    holding = [m for m in mappings
               if account_order(m.first_account) <= order <= account_order(m.last_account)]
    return min(holding, key=_span).category if holding else ""


def resolve_keys(organisation) -> int:
    """Apply the mapping to every cost centre × account of the organisation and to the copies on the rows of
    the books; returns how many keys changed. One UPDATE per org unit × category that changed."""
    units = dict(CostCentreMapping.objects.filter(organisation=organisation).values_list("cost_centre", "org_unit_id"))
    mappings = list(AccountMapping.objects.filter(organisation=organisation))
    categories: dict[str, str] = {}
    changed: dict[tuple[int | None, str], list[int]] = {}
    for pk, cost_centre, account, unit_now, category_now in LedgerKey.objects.filter(
            organisation=organisation).values_list("pk", "cost_centre", "account", "org_unit_id", "category"):
        if account not in categories:
            categories[account] = category_of(account, mappings)
        unit, category = units.get(cost_centre), categories[account]
        if unit_now != unit or category_now != category:
            changed.setdefault((unit, category), []).append(pk)
    for (unit, category), pks in changed.items():
        for start in range(0, len(pks), BATCH_SIZE):
            chunk = pks[start:start + BATCH_SIZE]
            LedgerKey.objects.filter(pk__in=chunk).update(org_unit_id=unit, category=category)
            LedgerEntry.objects.filter(key_id__in=chunk).update(org_unit_id=unit, category=category)
    return sum(len(pks) for pks in changed.values())


def _check_unit(organisation, org_unit) -> None:
    if org_unit.organisation_id != organisation.pk:
        raise ValidationError({"org_unit": _("Choose an org unit of this organisation.")})


@transaction.atomic
def map_cost_centre(*, organisation, cost_centre: str, org_unit, by) -> CostCentreMapping:
    """Map a cost centre to an org unit (or move it to another)."""
    cost_centre = cost_centre.strip()
    if not cost_centre:
        raise ValidationError({"cost_centre": _("Give the cost centre.")})
    _check_unit(organisation, org_unit)
    mapping = CostCentreMapping.objects.filter(organisation=organisation, cost_centre=cost_centre).first() \
        or CostCentreMapping(organisation=organisation, cost_centre=cost_centre)
    mapping.org_unit = org_unit
    mapping._history_user = by
    mapping.save()
    resolve_keys(organisation)
    return mapping


@transaction.atomic
def map_accounts(*, organisation, first_account: str, last_account: str = "", category: str, by) -> AccountMapping:
    """Map an account, or a range of accounts from first to last, to a cost category."""
    first, last = first_account.strip(), (last_account or first_account).strip()
    if not first:
        raise ValidationError({"first_account": _("Give the account.")})
    if account_order(last) < account_order(first):
        raise ValidationError({"last_account": _("The last account of the range cannot come before the first.")})
    if category not in dict(MAPPABLE_CATEGORIES):
        raise ValidationError({"category": _("Choose a cost category.")})
    mapping = AccountMapping.objects.filter(organisation=organisation, first_account=first, last_account=last).first() \
        or AccountMapping(organisation=organisation, first_account=first, last_account=last)
    mapping.category = category
    mapping._history_user = by
    mapping.save()
    resolve_keys(organisation)
    return mapping


@transaction.atomic
def remove_mapping(*, mapping: CostCentreMapping | AccountMapping, by) -> None:
    """Remove a mapping: its rows become unmapped again (listed, never dropped). Kept in the history."""
    organisation = mapping.organisation
    mapping._history_user = by
    mapping.delete()
    resolve_keys(organisation)
