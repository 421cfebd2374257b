"""Forms of a project plan. They check only the shape of input (a date is a date, a sum of euros is a
sum); the rules of the plan (shares add up, a grant within its allowed share, dates within the project)
are the services' and come back as their ValidationErrors, shown on the same form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from karki.core.forms import MoneyField, TranslatedFieldsMixin, apply_errors
from karki.okr.forms import DecimalText, OrgUnitChoiceField, PersonChoiceField, day_field
from karki.programmes.enums import Direction, RiskCategory

from .enums import CostType, FunderKind, ItemKind, ProjectStatus

__all__ = ["apply_errors"]

TEXT = forms.Textarea


class CodeChoiceField(forms.ModelChoiceField):
    """An item, phase or programme shown as "1.1 Etäpalvelut"."""

    def label_from_instance(self, obj) -> str:
        code = getattr(obj, "code", None) or getattr(obj, "slug", "")
        return f"{code} {obj.name}".strip() if hasattr(obj, "name") else str(obj)


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"


def tree_choices(field: forms.ModelChoiceField, rows, queryset) -> None:
    """The structure's items in the order and indentation of the structure (`rows`: reading.plan().rows)."""
    field.queryset = queryset
    field.choices = [("", field.empty_label)] + [
        (row.item.pk, "\u2003" * row.depth + f"{row.item.code} {row.item.name}") for row in rows]


class _Translated(TranslatedFieldsMixin, forms.Form):
    """A form with translated inputs (fi/sv/en) and `initial` taken from an instance."""

    plain_names: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translated_fields(instance)
        if instance is not None:
            for name in self.plain_names:
                field = self.fields[name]
                value = getattr(instance, name + "_id" if isinstance(field, forms.ModelChoiceField) else name)
                self.initial.setdefault(name, value)


class ProjectForm(_Translated):
    code = forms.CharField(label=_("Code"), max_length=20,
                           help_text=_("A short identifier, unique in the organisation, for example H-DIGI."))
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    start_date = day_field(_("Start date"), _("For example 1.1.2024."), required=True)
    end_date = day_field(_("End date"), _("For example 31.12.2025."), required=True)
    owner = PersonChoiceField(label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody yet"),
                              help_text=_("A person of the organisation who keeps the plan and reports on it."))
    owner_name = forms.CharField(label=_("Owner (as written)"), max_length=200, required=False,
                                 help_text=_("Only if the owner is not a Kärki user."))
    org_unit = OrgUnitChoiceField(label=_("Org unit"), queryset=None, required=False, empty_label=_("None"))
    programme = CodeChoiceField(label=_("Followed in programme"), queryset=None, required=False,
                                empty_label=_("None"), help_text=_(
                                    "The programme whose reporting periods, review and status picture follow "
                                    "this project."))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    translated_fields = {
        "name": (_("Name"), True, forms.TextInput),
        "description": (_("Description"), False, TEXT),
        "goals": (_("Goals"), False, TEXT),
        "expected_results": (_("Expected results"), False, TEXT),
        "impacts": (_("Impacts"), False, TEXT),
        "dependencies": (_("Dependencies"), False, TEXT),
    }
    plain_names = ("code", "status", "start_date", "end_date", "owner", "owner_name", "org_unit", "programme",
                   "revision")

    def __init__(self, *args, owners, org_units, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["org_unit"].queryset = org_units
        self.fields["programme"].queryset = programmes

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return cleaned


class ItemForm(_Translated):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1, 1.2 or 1.2.3."))
    kind = forms.ChoiceField(label=_("Level"), choices=ItemKind.choices, initial=ItemKind.WORK_PACKAGE)
    parent = ItemChoiceField(label=_("Part of"), queryset=None, required=False,
                             empty_label=_("Nothing (a top-level item)"))
    translated_fields = {"name": (_("Name"), True, forms.TextInput)}
    plain_names = ("code", "kind", "parent")

    def __init__(self, *args, items, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        tree_choices(self.fields["parent"], items, queryset)


class FunderForm(_Translated):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example VA or OMA."))
    kind = forms.ChoiceField(label=_("Kind"), choices=FunderKind.choices)
    max_share_pct = DecimalText(label=_("Allowed share (%)"), required=False, help_text=_(
        "The largest share of the project's total cost this funder may pay, for example 80. Empty if none."))
    funding_code = forms.CharField(label=_("Programme funding code"), max_length=20, required=False, help_text=_(
        "The code of the programme's funding this money comes from, if any."))
    translated_fields = {"name": (_("Name"), True, forms.TextInput)}
    plain_names = ("code", "kind", "max_share_pct", "funding_code")


class PhaseForm(_Translated):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example V1."))
    start_date = day_field(_("Start date"), _("For example 1.1.2024."), required=True)
    end_date = day_field(_("End date"), _("For example 30.6.2024."), required=True)
    translated_fields = {"name": (_("Name"), True, forms.TextInput)}
    plain_names = ("code", "start_date", "end_date")


class MilestoneForm(_Translated):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example M1."))
    due_date = day_field(_("Due date"), _("For example 31.3.2024."), required=True)
    phase = CodeChoiceField(label=_("Phase"), queryset=None, required=False, empty_label=_("None"))
    item = ItemChoiceField(label=_("Item of the plan"), queryset=None, required=False, empty_label=_("None"))
    owner = PersonChoiceField(label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody yet"))
    owner_name = forms.CharField(label=_("Owner (as written)"), max_length=200, required=False,
                                 help_text=_("Only if the owner is not a Kärki user."))
    translated_fields = {"name": (_("Milestone"), True, forms.TextInput),
                         "deliverable": (_("Deliverable"), False, TEXT)}
    plain_names = ("code", "due_date", "phase", "item", "owner", "owner_name")

    def __init__(self, *args, phases, items, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = phases
        tree_choices(self.fields["item"], *items)
        self.fields["owner"].queryset = owners


class RiskForm(_Translated):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example R1."))
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    likelihood = forms.TypedChoiceField(label=_("Likelihood (1–5)"), required=False, coerce=int, empty_value=None,
                                        choices=[("", "–")] + [(n, n) for n in range(1, 6)])
    impact = forms.TypedChoiceField(label=_("Impact (1–5)"), required=False, coerce=int, empty_value=None,
                                    choices=[("", "–")] + [(n, n) for n in range(1, 6)])
    owner = PersonChoiceField(label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody yet"))
    owner_name = forms.CharField(label=_("Owner (as written)"), max_length=200, required=False,
                                 help_text=_("Only if the owner is not a Kärki user."))
    translated_fields = {"title": (_("Risk"), True, forms.TextInput),
                         "description": (_("Description"), False, TEXT),
                         "mitigation": (_("Mitigation"), False, TEXT)}
    plain_names = ("code", "category", "likelihood", "impact", "owner", "owner_name")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class IndicatorForm(_Translated):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example I1."))
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False, help_text=_("For example %, € or pcs."))
    direction = forms.ChoiceField(label=_("Direction"), required=False, choices=[("", "–"), *Direction.choices])
    baseline_value = DecimalText(label=_("Baseline"), required=False, help_text=_("For example 5,2."))
    baseline_date = day_field(_("Baseline date"), _("For example 31.12.2023."))
    target_value = DecimalText(label=_("Target value"), required=False)
    deadline = day_field(_("Deadline"), _("By when the target should be reached, for example 31.12.2025."))
    translated_fields = {"name": (_("Name"), True, forms.TextInput)}
    plain_names = ("code", "unit", "direction", "baseline_value", "baseline_date", "target_value", "deadline")


class IndicatorValueForm(forms.Form):
    measured_on = day_field(_("Measured on"), _("The date the value describes, for example 31.3.2025."),
                            required=True)
    value = DecimalText(label=_("Value"), required=True, help_text=_("For example 6,76 or 1 827."))
    source = forms.CharField(label=_("Source"), max_length=300, required=False,
                             help_text=_("Where the value comes from, for example a report or a system."))


class BudgetGridForm(forms.Form):
    """One item's budget as a grid: one row per year and cost type, with the row's total and each
    funder's share. Row errors come from the services and are kept by row (`row_errors`)."""

    def __init__(self, *args, project, item, funders, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.item, self.funders = project, item, list(funders)
        self.stored = {(line.year, line.cost_type): line for line in lines}
        self.row_errors: dict[tuple[int, str], list[str]] = {}
        self.rows = []
        for year in project.years:
            for cost_type in CostType:
                key = (year, cost_type.value)
                line = self.stored.get(key)
                shares = {s.funder_id: s.amount_eur for s in line.shares.all()} if line else {}
                prefix = f"r{year}_{cost_type.value}"
                row_label = f"{year} {cost_type.label}"
                total = MoneyField(label=_("Total (€), %(row)s") % {"row": row_label}, help_text="",
                                   initial=line.total_eur if line else None)
                self.fields[f"{prefix}_total"] = total
                for funder in self.funders:
                    self.fields[f"{prefix}_f{funder.pk}"] = MoneyField(
                        label=_("%(funder)s (€), %(row)s") % {"funder": funder.name, "row": row_label},
                        help_text="", initial=shares.get(funder.pk) if line else None)
                if line is not None:
                    self.fields[f"{prefix}_remove"] = forms.BooleanField(
                        label=_("Remove the line %(row)s") % {"row": row_label}, required=False)
                self.rows.append({"key": key, "year": year, "cost_type": cost_type, "prefix": prefix,
                                  "line": line})

    def bound_rows(self):
        """Rows with their bound fields and errors, for the template."""
        result = []
        for row in self.rows:
            prefix = row["prefix"]
            field_errors = [str(e) for name in self._row_names(row) for e in self[name].errors]
            result.append({**row, "total": self[f"{prefix}_total"],
                           "shares": [self[f"{prefix}_f{f.pk}"] for f in self.funders],
                           "remove": self[f"{prefix}_remove"] if row["line"] is not None else None,
                           "errors": field_errors + self.row_errors.get(row["key"], [])})
        return result

    def _row_names(self, row):
        prefix = row["prefix"]
        names = [f"{prefix}_total"] + [f"{prefix}_f{f.pk}" for f in self.funders]
        if row["line"] is not None:
            names.append(f"{prefix}_remove")
        return names

    def changes(self):
        """What the grid asks for: [(row, "remove" | "set" | None, total, {funder: amount})]. A row left
        empty that has no stored line asks for nothing; a stored line whose boxes are unchanged is set again
        (harmless: the same values)."""
        data = self.cleaned_data
        result = []
        for row in self.rows:
            prefix = row["prefix"]
            if row["line"] is not None and data.get(f"{prefix}_remove"):
                result.append((row, "remove", None, {}))
                continue
            total = data.get(f"{prefix}_total")
            shares = {f: data.get(f"{prefix}_f{f.pk}") for f in self.funders}
            if row["line"] is None and total is None and all(v is None for v in shares.values()):
                continue
            if row["line"] is not None and self._unchanged(row, total, shares):
                continue
            result.append((row, "set", total, shares))
        return result

    def _unchanged(self, row, total, shares) -> bool:
        line = row["line"]
        stored = {s.funder_id: s.amount_eur for s in line.shares.all()}
        return total == line.total_eur and all((amount or 0) == stored.get(f.pk, 0) for f, amount in shares.items())

    def add_row_error(self, key, messages) -> None:
        self.row_errors.setdefault(key, []).extend(messages)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.row_errors)

    def error_list(self):
        """[(anchor id, text)] for the error summary."""
        listed = [(None, str(e)) for e in self.non_field_errors()]
        for row in self.bound_rows():
            label = f"{row['year']} {row['cost_type'].label}"
            for message in row["errors"]:
                listed.append((row["total"].id_for_label, f"{label}: {message}"))
        return listed
