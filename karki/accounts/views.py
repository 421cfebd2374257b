"""People of an organisation: who has which role, adding and removing people, and the changes to roles.

Every page loads the organisation through `get_organisation_for_user(..., manage=True)`: 404 for
an organisation the user is not a member of, 403 for a member who is not its administrator. A
person is looked up among the members of that organisation only, so that nobody of another
organisation can be read or changed through a crafted address or POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from karki.accounts import permissions as perms
from karki.core.forms import apply_errors
from karki.organisations.permissions import get_organisation_for_user

from . import services
from .enums import Role
from .forms import ROLE_DESCRIPTIONS, PersonAddForm, PersonEditForm, RoleFilterForm, encode_roles
from .querysets import account_changes_of, people_of, role_changes_of

CHANGE_REASONS = {
    services.REASON_ADDED: gettext_lazy("added to the organisation"),
    services.REASON_ROLES: gettext_lazy("roles edited"),
    services.REASON_REMOVED: gettext_lazy("removed from the organisation"),
    services.REASON_SSO: gettext_lazy("single sign-on"),
    services.REASON_DETAILS: gettext_lazy("name or email edited"),
    services.REASON_DEACTIVATED: gettext_lazy("removed from the organisation"),
}
# The account fields whose changes the "Changes to accounts" page shows.
ACCOUNT_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser"]


def _get_person(organisation, pk: int, *, by):
    """A member of `organisation`, or 404 (also for people who exist only elsewhere); 403 for a
    member the user may not change (platform staff or a superuser)."""
    person = people_of(organisation).filter(pk=pk).first()
    if person is None:
        raise Http404
    if not perms.can_manage_person(by, organisation, person):
        raise PermissionDenied
    return person




def _forget_cached_roles(user) -> None:
    """The permission resolver caches roles on the user object; a change of one's own roles
    must be seen by the rest of this request."""
    try:
        del user._karki_roles
    except AttributeError:
        pass


def _role_context():
    return {"role_descriptions": ROLE_DESCRIPTIONS}


@login_required
def people_list(request, slug: str):
    organisation = get_organisation_for_user(request, slug, manage=True)
    filter_form = RoleFilterForm(request.GET or None)
    role = filter_form.cleaned_data["role"] if filter_form.is_valid() else ""
    people = list(people_of(organisation, role=role))
    rows = [{
        "person": person,
        "roles": services.role_words(m.role for m in person.roles_here),
        "can_manage": perms.can_manage_person(request.user, organisation, person),
    } for person in people]
    return render(request, "accounts/people.html", {
        "organisation": organisation, "rows": rows, "filter_form": filter_form,
        "role_label": dict(Role.choices).get(role, ""), "nav": "organisations",
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request, slug: str):
    organisation = get_organisation_for_user(request, slug, manage=True)
    form = PersonAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.add_person(
                organisation=organisation, username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], roles=data["roles"], password=data["password"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _(
                "%(username)s was added with the roles %(roles)s. Tell them their username and initial "
                "password through separate channels."
            ) % {"username": person.get_username(), "roles": services.role_words(data["roles"])})
            return redirect("organisations:people", slug=organisation.slug)
    return render(request, "accounts/people_add.html", {
        "organisation": organisation, "form": form, "nav": "organisations", **_role_context(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, slug: str, pk: int):
    organisation = get_organisation_for_user(request, slug, manage=True)
    person = _get_person(organisation, pk, by=request.user)
    with_details = services.details_editable(person, organisation)
    current = services.roles_of(person, organisation)
    form = PersonEditForm(request.POST or None, with_details=with_details, current_roles=current, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            granted, revoked = services.edit_person(
                organisation=organisation, person=person, roles=form.cleaned_data["roles"],
                expected_roles=form.expected_roles(), details=form.details(),
                expected_details=form.expected_details(), by=request.user,
            )
        except services.StaleRoles as stale:
            # Show the current roles, and accept the next save as based on them.
            data = request.POST.copy()
            data.setlist("roles", sorted(stale.current))
            data["roles_seen"] = encode_roles(stale.current)
            for name in ("first_name", "last_name", "email"):
                data.setdefault(name, getattr(person, name))
            form = PersonEditForm(data, with_details=with_details, current_roles=stale.current, person=person)
            form.is_valid()
            form.add_error(None, stale)
            current = stale.current
        except services.StaleDetails as stale:
            # Keep what the administrator typed; the next save is based on the current values.
            data = request.POST.copy()
            for name, value in stale.current.items():
                data[f"{name}_seen"] = value
            form = PersonEditForm(data, with_details=with_details, current_roles=current, person=person)
            form.is_valid()
            form.add_error(None, stale)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if granted or revoked:
                messages.success(request, _("The roles of %(username)s in %(organisation)s are now: %(roles)s.") % {
                    "username": person.get_username(), "organisation": organisation,
                    "roles": services.role_words(form.cleaned_data["roles"]),
                })
            else:
                messages.success(request, _("Saved %(username)s.") % {"username": person.get_username()})
            _forget_cached_roles(request.user)
            if not perms.can_manage_people(request.user, organisation):
                return redirect("organisations:organisation-detail", slug=organisation.slug)
            return redirect("organisations:people", slug=organisation.slug)
    return render(request, "accounts/people_edit.html", {
        "organisation": organisation, "person": person, "form": form, "current_roles": services.role_words(current),
        "nav": "organisations", **_role_context(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def person_remove(request, slug: str, pk: int):
    """GET asks for confirmation; POST removes every role of the person in this organisation."""
    organisation = get_organisation_for_user(request, slug, manage=True)
    person = _get_person(organisation, pk, by=request.user)
    error = None
    if request.method == "POST":
        try:
            deactivated = services.remove_person(organisation=organisation, person=person, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            message = _("%(username)s was removed from %(organisation)s.") % {
                "username": person.get_username(), "organisation": organisation}
            if deactivated:
                message += " " + _("Their account was deactivated, since they have no roles left.")
            messages.success(request, message)
            _forget_cached_roles(request.user)
            if not perms.is_member(request.user, organisation.pk):
                return redirect("programmes:programme-list")
            if not perms.can_manage_people(request.user, organisation):
                return redirect("organisations:organisation-detail", slug=organisation.slug)
            return redirect("organisations:people", slug=organisation.slug)
    return render(request, "accounts/people_remove.html", {
        "organisation": organisation, "person": person, "error": error,
        "roles": services.role_words(services.roles_of(person, organisation)), "nav": "organisations",
    })


@login_required
def role_changes(request, slug: str):
    """Who granted or revoked which role to whom, and when, newest first."""
    organisation = get_organisation_for_user(request, slug, manage=True)
    page = Paginator(role_changes_of(organisation), 50).get_page(request.GET.get("page"))
    entries = [{
        "record": record,
        "granted": record.history_type == "+",
        "revoked": record.history_type == "-",
        "role": record.get_role_display(),
        "reason": CHANGE_REASONS.get(record.history_change_reason or "", ""),
    } for record in page]
    return render(request, "accounts/people_changes.html", {
        "organisation": organisation, "page": page, "entries": entries, "nav": "organisations",
    })


def _account_change(record) -> list[tuple[str, str, str]]:
    """[(field label, before, after)] of one account history row; empty for a row that changed
    nothing shown here (a new password, for example, which the history does not keep)."""
    if record.history_type != "~" or record.prev_record is None:
        return []
    delta = record.diff_against(record.prev_record, included_fields=ACCOUNT_FIELDS)
    fields = {f.name: f for f in type(record)._meta.fields}

    def shown(value):
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return value or "–"

    return [(str(fields[c.field].verbose_name).capitalize(), shown(c.old), shown(c.new)) for c in delta.changes]


@login_required
def account_changes(request, slug: str):
    """Who created, renamed or deactivated the accounts of the organisation's people, and when."""
    organisation = get_organisation_for_user(request, slug, manage=True)
    page = Paginator(account_changes_of(organisation), 50).get_page(request.GET.get("page"))
    entries = []
    for record in page:
        changes = _account_change(record)
        if record.history_type == "~" and not changes:
            continue
        entries.append({
            "record": record,
            "created": record.history_type == "+",
            "deleted": record.history_type == "-",
            "changes": changes,
            "reason": CHANGE_REASONS.get(record.history_change_reason or "", ""),
        })
    return render(request, "accounts/account_changes.html", {
        "organisation": organisation, "page": page, "entries": entries, "nav": "organisations",
    })
