"""The county's books: actual costs by month, cost centre and account as the financial system exports
them, a baseline to compare them with, and finance's mapping of cost centres to org units and of
accounts to Kärki's cost categories.

Rows are kept as they were imported (cost centre and account as written); the mapping is applied
through `LedgerKey`, one row per cost centre × account an organisation's files have used, which holds
the org unit and the cost category that the mapping gives it today. `services.resolve_keys` rewrites
those two columns (and their copies on the rows of the books) whenever a mapping changes or a file
brings new keys, so the reconciliation groups hundreds of thousands of rows without matching account
ranges row by row. A key
without an org unit or a category is *unmapped*: its rows are listed on their own, never dropped.

Amounts are Decimal euros; a cost is positive, a credit (a refund, a correction) negative.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import MAPPABLE_CATEGORIES, BatchKind
from .querysets import LedgerEntryQuerySet

EUR = {"max_digits": 16, "decimal_places": 2}


class ImportBatch(models.Model):
    """One imported file: who imported what and when. A file already imported (the same bytes) is not
    imported again; a new file for months (actuals) or years (baseline) already held replaces them, and
    the batch it replaced keeps its record with `replaced_by`."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=10, choices=BatchKind.choices)
    label = models.CharField(_("name of the baseline"), max_length=200, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    total_eur = models.DecimalField(_("total (€)"), **EUR)
    # The months ("2024-01") or years ("2024") the file covers: what it replaces when imported.
    slices = models.JSONField(_("months or years covered"), default=list)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("imported by"))
    replaced_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("replaced by"))

    class Meta:
        verbose_name = _("import of the books")
        verbose_name_plural = _("imports of the books")
        ordering = ["-imported_at"]
        indexes = [models.Index(fields=["organisation", "kind", "file_sha256"], name="books_batch_file_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class LedgerKey(models.Model):
    """A cost centre × account pair of an organisation's books, with what the mapping makes of it."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    cost_centre = models.CharField(_("cost centre"), max_length=40)
    account = models.CharField(_("account"), max_length=40)
    # Derived from CostCentreMapping and AccountMapping by services.resolve_keys; empty = unmapped.
    org_unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("org unit"))
    category = models.CharField(_("cost category"), max_length=30, choices=MAPPABLE_CATEGORIES, blank=True)

    class Meta:
        verbose_name = _("cost centre and account")
        verbose_name_plural = _("cost centres and accounts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cost_centre", "account"], name="books_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre} / {self.account}"

    @property
    def is_mapped(self) -> bool:
        return self.org_unit_id is not None and bool(self.category)


class LedgerEntry(models.Model):
    """An actual cost of one month on one cost centre and account, as the financial system exported it.
    Several rows of a file for the same key and month are kept as they are and add up."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    key = models.ForeignKey(LedgerKey, on_delete=models.PROTECT, related_name="entries",
                            verbose_name=_("cost centre and account"))
    amount_eur = models.DecimalField(_("amount (€)"), **EUR)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="entries",
                              verbose_name=_("import"))
    # The key's org unit and category, copied by services.resolve_keys whenever the mapping changes: the
    # reconciliation then sums a year of 200 000 rows from one covering index, without a join (25 ms
    # instead of 120–190 ms on SQLite, see benchmarks/reconciliation.py). LedgerKey stays the source.
    org_unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", db_index=False, verbose_name=_("org unit"))
    category = models.CharField(_("cost category"), max_length=30, choices=MAPPABLE_CATEGORIES, blank=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="books_entry_month_1_12"),
        ]
        # The reconciliation reads a year (and a month) of one organisation grouped by key; the import
        # replaces months of one organisation.
        indexes = [models.Index(fields=["organisation", "year", "month", "org_unit", "category", "amount_eur"],
                                name="books_entry_period_idx")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.amount_eur}"


class BaselineEntry(models.Model):
    """The cost a baseline (the budget of a year, a "do nothing" path) expects: for one month, or for the
    whole year when `month` is empty (read as a twelfth a month). Keyed like the books (a cost centre and
    an account) or directly by org unit and cost category."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(12)])
    key = models.ForeignKey(LedgerKey, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("cost centre and account"))
    org_unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("org unit"))
    category = models.CharField(_("cost category"), max_length=30, choices=MAPPABLE_CATEGORIES, blank=True)
    amount_eur = models.DecimalField(_("amount (€)"), **EUR)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="baseline_entries",
                              verbose_name=_("import"))

    class Meta:
        verbose_name = _("baseline cost")
        verbose_name_plural = _("baseline costs")
        constraints = [
            models.CheckConstraint(condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                                   name="books_baseline_month_1_12"),
            models.CheckConstraint(
                condition=Q(key__isnull=False, org_unit__isnull=True, category="")
                | Q(key__isnull=True, org_unit__isnull=False) & ~Q(category=""),
                name="books_baseline_one_keying",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "year"], name="books_baseline_year_idx")]

    def __str__(self) -> str:
        return f"{self.year}{f'-{self.month:02d}' if self.month else ''} {self.amount_eur}"


class CostCentreMapping(models.Model):
    """Finance's decision: the costs of this cost centre belong to this org unit."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    cost_centre = models.CharField(_("cost centre"), max_length=40)
    org_unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("org unit"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost centre mapping")
        verbose_name_plural = _("cost centre mappings")
        ordering = ["organisation", "cost_centre"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "cost_centre"], name="books_costcentre_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cost_centre} → {self.org_unit}"


class AccountMapping(models.Model):
    """Finance's decision: the accounts from `first_account` to `last_account` (one account when they are
    equal) are costs of this category. Where ranges overlap, the narrowest wins, so that "4000–4999
    personnel" can have an exception for one account."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    first_account = models.CharField(_("first account"), max_length=40)
    last_account = models.CharField(_("last account"), max_length=40)
    category = models.CharField(_("cost category"), max_length=30, choices=MAPPABLE_CATEGORIES)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account mapping")
        verbose_name_plural = _("account mappings")
        ordering = ["organisation", "first_account"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "first_account", "last_account"],
                                    name="books_account_range_unique"),
        ]

    def __str__(self) -> str:
        span = self.first_account if self.first_account == self.last_account else \
            f"{self.first_account}–{self.last_account}"
        return f"{span} → {self.category}"
