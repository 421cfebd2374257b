"""Forms of the people pages: they check the shape of input; the rules live in `services`."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from .enums import Role

ROLE_DESCRIPTIONS = {
    Role.ADMIN: _("manages the people, roles and org units of the organisation"),
    Role.PMO: _("edits the whole programme and approves versions"),
    Role.THEME_OWNER: _("edits the targets and measures of the themes they own"),
    Role.MEASURE_OWNER: _("edits the measures they own"),
    Role.FINANCE: _("edits the savings estimates across the programme"),
    Role.VIEWER: _("reads the whole programme"),
}


class RoleCheckboxes(forms.CheckboxSelectMultiple):
    """A group of checkboxes rendered in a <fieldset>. The error summary links to the first box,
    since the group itself has no input to point at."""

    def id_for_label(self, id_, index="0"):
        return super().id_for_label(id_, index)


def _roles_field():
    return forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, widget=RoleCheckboxes,
                                     error_messages={"required": _("Choose at least one role.")})


DETAILS = ("first_name", "last_name", "email")


def encode_roles(roles) -> str:
    return ",".join(sorted(roles))


def decode_roles(value: str) -> set[str]:
    return {role for role in (value or "").split(",") if role}


class PersonDetailsMixin(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    # A text input (inputmode email) rather than type=email: the same look as the other inputs,
    # and the address is still checked as an email address.
    email = forms.EmailField(label=_("Email"), required=False, max_length=254, widget=forms.TextInput(
        attrs={"inputmode": "email", "autocomplete": "off", "spellcheck": "false"}))


class PersonAddForm(PersonDetailsMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150,
        help_text=_("Used to sign in. Usernames are shared by every organisation in Kärki, so a suffix such as "
                    "firstname.lastname.county helps. Letters, digits and @ . + - _ only."),
        validators=[get_user_model().username_validator],
    )
    roles = _roles_field()
    password = forms.CharField(
        label=_("Initial password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Initial password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "first_name", "last_name", "email", "roles", "password", "password_again"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "none",
                                                     "spellcheck": "false"})
        self.fields["password"].help_text = " ".join(
            [str(_("Tell it to the person through another channel than the username, for example by phone.")),
             *password_validators_help_texts()]
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password_again") is not None \
                and cleaned["password"] != cleaned["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned

    def text_fields(self):
        return [self[name] for name in ("username", "first_name", "last_name", "email")]

    def password_fields(self):
        return [self["password"], self["password_again"]]


class PersonEditForm(PersonDetailsMixin, forms.Form):
    """Roles in this organisation; name and email only when `with_details` (see
    `services.details_editable`). `roles_seen` carries the roles shown when the form was opened, and
    `*_seen` the name and email shown then, so that a save based on old values can be refused."""

    roles = _roles_field()
    roles_seen = forms.CharField(widget=forms.HiddenInput, required=False)
    first_name_seen = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    last_name_seen = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    email_seen = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    field_order = ["roles", "first_name", "last_name", "email"]

    def __init__(self, *args, with_details: bool, current_roles: set[str], person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_details = with_details
        if not with_details:
            for name in DETAILS:
                del self.fields[name]
                del self.fields[f"{name}_seen"]
        else:
            # Accounts made before (the demo users, for example) may have no name yet.
            self.fields["first_name"].required = self.fields["last_name"].required = False
        self.initial.setdefault("roles", sorted(current_roles))
        self.initial.setdefault("roles_seen", encode_roles(current_roles))
        if person is not None and with_details:
            for name in DETAILS:
                self.initial.setdefault(name, getattr(person, name))
                self.initial.setdefault(f"{name}_seen", getattr(person, name))

    def expected_roles(self) -> set[str]:
        return decode_roles(self.cleaned_data.get("roles_seen", ""))

    def details(self) -> dict[str, str] | None:
        """The name and email to save; None when the form has none or none were sent (so that a
        request with roles only leaves the name alone instead of emptying it)."""
        if not self.with_details or not any(name in self.data for name in DETAILS):
            return None
        return {name: self.cleaned_data[name] for name in DETAILS}

    def expected_details(self) -> dict[str, str] | None:
        if self.details() is None:
            return None
        return {name: self.cleaned_data.get(f"{name}_seen", "") for name in DETAILS}

    def text_fields(self):
        return [self[name] for name in DETAILS if name in self.fields]


class RoleFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
