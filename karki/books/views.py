"""Pages of the books: savings in the books (the reconciliation), the mapping of cost centres and accounts,
and the import. Finance and the programme office read them; finance imports and maps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from karki.accounts import permissions as perms
from karki.core.forms import apply_errors
from karki.jobs.services import start_job
from karki.lib.params import whole_number
from karki.monitoring.charts import bar_charts
from karki.organisations.models import OrgUnit
from karki.programmes.enums import CostCategory

from . import jobs as books_jobs
from . import services
from .enums import MAPPABLE_CATEGORIES, BatchKind
from .forms import AccountForm, CostCentreForm, ImportForm
from .models import AccountMapping, CostCentreMapping, ImportBatch, LedgerKey
from .permissions import get_books_programme
from .reconciliation import reconcile

MONTHS_LISTED = 100


def _context(request, programme, **extra) -> dict:
    return {"programme": programme, "organisation": programme.organisation, "nav": "programmes",
            "can_edit_books": perms.can_edit_books(request.user, programme.organisation), **extra}


@login_required
def reconciliation(request, slug: str):
    programme = get_books_programme(request, slug)
    month = whole_number(request.GET.get("month"))
    result = reconcile(programme, year=whole_number(request.GET.get("year")),
                       month=month if month and 1 <= month <= 12 else None,
                       unit_id=whole_number(request.GET.get("unit")), category=request.GET.get("category") or "")
    if result.year is not None and result.years and result.year not in result.years:
        result = reconcile(programme, years=result.years)
    lang = get_language()
    rows = [r for r in result.by_category if r.level == 0 and r.key != "unmapped"]
    chart = bar_charts([(r.label, [r.figures.claimed, r.figures.in_books]) for r in rows], lang) if rows else None
    units = OrgUnit.objects.filter(organisation=programme.organisation).select_related("parent").order_by(
        "order", "code")
    return render(request, "books/reconciliation.html", _context(
        request, programme, result=result, chart=chart, units=units, categories=MAPPABLE_CATEGORIES,
        months=range(1, 13), total_label=CostCategory.TOTAL.label,
        query=request.GET.urlencode()))


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request, slug: str):
    """Unmapped cost centres and accounts with their sums, the mappings made, and plain forms to map."""
    programme = get_books_programme(request, slug, edit=request.method == "POST")
    organisation = programme.organisation
    org_units = OrgUnit.objects.filter(organisation=organisation).select_related("parent").order_by("order", "code")
    action = request.POST.get("action", "")
    centre_form = CostCentreForm(request.POST if action == "cost_centre" else None, org_units=org_units,
                                 prefix="cc")
    account_form = AccountForm(request.POST if action == "account" else None, prefix="acc")
    if request.method == "POST":
        done = _map(request, organisation, action, centre_form, account_form)
        if done:
            return redirect("books:mapping", slug=slug)
    keys = LedgerKey.objects.filter(organisation=organisation)
    unmapped_centres = list(keys.filter(org_unit__isnull=True).values("cost_centre").annotate(
        total=Sum("entries__amount_eur"), accounts=Count("account", distinct=True)).order_by("cost_centre"))
    unmapped_accounts = list(keys.filter(category="").values("account").annotate(
        total=Sum("entries__amount_eur"), centres=Count("cost_centre", distinct=True)).order_by("account"))
    failed = request.method == "POST"
    return render(request, "books/mapping.html", _context(
        request, programme, centre_form=centre_form, account_form=account_form, org_units=org_units,
        categories=MAPPABLE_CATEGORIES,
        unmapped_centres=unmapped_centres[:MONTHS_LISTED], unmapped_centre_count=len(unmapped_centres),
        unmapped_accounts=unmapped_accounts[:MONTHS_LISTED], unmapped_account_count=len(unmapped_accounts),
        centre_mappings=CostCentreMapping.objects.filter(organisation=organisation).select_related(
            "org_unit__parent").order_by("cost_centre"),
        account_mappings=AccountMapping.objects.filter(organisation=organisation).order_by("first_account"),
    ), status=400 if failed else 200)


def _map(request, organisation, action: str, centre_form, account_form) -> bool:
    """Do what the mapping form asked; True when done (the page is then loaded afresh)."""
    try:
        if action == "cost_centre" and centre_form.is_valid():
            data = centre_form.cleaned_data
            services.map_cost_centre(organisation=organisation, cost_centre=data["cost_centre"],
                                     org_unit=data["org_unit"], by=request.user)
            messages.success(request, _("Cost centre %(code)s is mapped to %(unit)s.") % {
                "code": data["cost_centre"], "unit": data["org_unit"]})
            return True
        if action == "account" and account_form.is_valid():
            data = account_form.cleaned_data
            found = services.map_accounts(organisation=organisation, first_account=data["first_account"],
                                          last_account=data["last_account"], category=data["category"],
                                          by=request.user)
            messages.success(request, _("Accounts %(accounts)s are mapped to %(category)s.") % {
                "accounts": _span(found), "category": CostCategory(found.category).label})
            return True
        if action in ("remove_cost_centre", "remove_account"):
            model = CostCentreMapping if action == "remove_cost_centre" else AccountMapping
            found = get_object_or_404(model, organisation=organisation, pk=whole_number(request.POST.get("pk")))
            services.remove_mapping(mapping=found, by=request.user)
            messages.success(request, _("The mapping is removed; its rows are listed as unmapped again. The "
                                        "history keeps it."))
            return True
    except ValidationError as error:
        apply_errors(centre_form if action == "cost_centre" else account_form, error)
    return False


def _span(mapping: AccountMapping) -> str:
    if mapping.first_account == mapping.last_account:
        return mapping.first_account
    return f"{mapping.first_account}–{mapping.last_account}"


@login_required
@require_http_methods(["GET", "POST"])
def import_books(request, slug: str):
    """Upload a file of the books: the import runs as background work, whose page tells how it went."""
    programme = get_books_programme(request, slug, edit=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = start_job(kind=books_jobs.IMPORT, by=request.user, organisation=programme.organisation,
                            programme=programme, params={"kind": form.cleaned_data["kind"],
                                                         "label": form.cleaned_data["label"]},
                            upload=(upload.name, upload.read()))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("jobs:job-detail", job_id=job.pk)
    batches = ImportBatch.objects.filter(organisation=programme.organisation).select_related(
        "imported_by", "replaced_by").order_by("-imported_at")[:20]
    return render(request, "books/import.html", _context(request, programme, form=form, batches=batches,
                                                         actuals=BatchKind.ACTUALS),
                  status=400 if form.is_bound and form.errors else 200)
