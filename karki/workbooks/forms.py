"""Forms check only the shape of input; the import checks the workbook itself."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from .safety import megabytes


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"), help_text=_(
        "A workbook in the format of the template. Nothing is saved before you have seen the preview and "
        "confirmed it."))
    remove_missing = forms.BooleanField(
        label=_("Remove from Kärki the rows that are not in the workbook"), required=False,
        help_text=_("Without this, such rows are kept and listed in the preview."))

    def __init__(self, *args, offer_new_draft: bool = False, new_programme: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        if offer_new_draft:
            self.fields["new_draft"] = forms.BooleanField(
                label=_("Start a new draft version and import into it"), required=False,
                help_text=_("The latest version is approved and frozen. The new draft starts as a copy of it."))
        if new_programme:
            del self.fields["remove_missing"]
            self.fields["identifier"] = forms.CharField(
                label=_("Identifier of the new programme"), required=False, max_length=80, validators=[validate_slug],
                help_text=_("Used in addresses, for example ita-uusimaa-2027-2030. Empty: the identifier written on "
                            "the workbook's Programme sheet."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.JOB_INPUT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is too large: the largest workbook accepted is %(limit)s MB.")
                                        % {"limit": megabytes(limit)})
        return upload
