"""Forms check the shape of input; the rules of the org-unit tree live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from karki.core.forms import TranslatedFieldsMixin


class OrgUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj}"


class OrgUnitForm(TranslatedFieldsMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40,
                           help_text=_("A short identifier, unique in the organisation, for example SOS or SOS-AS."))
    parent = OrgUnitChoiceField(label=_("Parent"), queryset=None, required=False,
                                empty_label=_("None (a service area at the top level)"))
    # The revision the form was opened on: a save based on an older one is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    translated_fields = {"name": (_("Name"), True, forms.TextInput)}

    def __init__(self, *args, parents=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self._add_translated_fields(instance)
        if instance is not None:
            self.initial.setdefault("code", instance.code)
            self.initial.setdefault("parent", instance.parent_id)
            self.initial.setdefault("revision", instance.revision)
