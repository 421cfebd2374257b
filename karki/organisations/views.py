from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from karki.accounts import permissions as perms
from karki.accounts.models import Membership
from karki.accounts.services import role_words
from karki.core.forms import apply_errors

from . import services
from .forms import OrgUnitForm
from .models import Organisation, OrgUnit
from .permissions import get_organisation_for_user


def _tree(units: list[OrgUnit]) -> list[dict]:
    """[{"unit": …, "children": [...]}] in the stored order, from a flat list of one organisation."""
    nodes = {unit.pk: {"unit": unit, "children": []} for unit in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent["children"] if parent else roots).append(nodes[unit.pk])
    return roots




@login_required
def organisation_list(request):
    """My organisations: those where the user holds a role, with the roles and, for
    administrators, the ways to manage them."""
    organisations = list(Organisation.objects.visible_to(request.user))
    roles: dict[int, set[str]] = {}
    for org_id, role in Membership.objects.filter(user=request.user).values_list("organisation_id", "role"):
        roles.setdefault(org_id, set()).add(role)
    rows = [{
        "organisation": organisation,
        "roles": role_words(roles.get(organisation.pk, set())),
        "can_manage": perms.can_manage_people(request.user, organisation),
    } for organisation in organisations]
    return render(request, "organisations/organisation_list.html", {"rows": rows, "nav": "organisations"})


@login_required
def organisation_detail(request, slug: str):
    organisation = get_organisation_for_user(request, slug)
    units = list(OrgUnit.objects.for_organisation(organisation))
    return render(request, "organisations/organisation_detail.html", {
        "organisation": organisation,
        "roles": role_words(Membership.objects.filter(user=request.user, organisation=organisation)
                            .values_list("role", flat=True)),
        "tree": _tree(units),
        "can_manage": perms.can_manage_people(request.user, organisation),
        "nav": "organisations",
    })


@login_required
def org_unit_list(request, slug: str):
    organisation = get_organisation_for_user(request, slug, manage=True)
    units = list(OrgUnit.objects.for_organisation(organisation).select_related("parent"))
    return render(request, "organisations/org_unit_list.html", {
        "organisation": organisation, "tree": _tree(units), "nav": "organisations",
    })


@login_required
@require_http_methods(["GET", "POST"])
def org_unit_edit(request, slug: str, pk: int | None = None):
    organisation = get_organisation_for_user(request, slug, manage=True)
    unit = get_object_or_404(OrgUnit, organisation=organisation, pk=pk) if pk is not None else None
    parents = OrgUnit.objects.for_organisation(organisation)
    if unit is not None:
        # Offer only places that keep the tree a tree; the service checks again.
        parents = parents.exclude(pk__in={unit.pk, *services.descendant_ids(unit)})
    form = OrgUnitForm(request.POST or None, parents=parents, instance=unit)
    if request.method == "POST" and form.is_valid():
        payload = {"code": form.cleaned_data["code"], "name": form.translated_values("name"),
                   "parent": form.cleaned_data["parent"], "by": request.user}
        try:
            if unit is None:
                unit = services.create_org_unit(organisation=organisation, **payload)
                messages.success(request, _("Org unit %(unit)s added.") % {"unit": unit})
            else:
                unit = services.update_org_unit(unit=unit, expected_revision=form.cleaned_data["revision"],
                                                **payload)
                messages.success(request, _("Org unit %(unit)s saved.") % {"unit": unit})
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("organisations:org-units", slug=organisation.slug)
    title = _("Add an org unit") if unit is None else _("Edit org unit %(unit)s") % {"unit": unit}
    return render(request, "organisations/org_unit_form.html", {
        "organisation": organisation, "unit": unit, "form": form, "title": title, "nav": "organisations",
    })
