"""Public texts in fi/sv/en, and their history (registered after the translated fields exist, as in
programmes/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from . import models as m

TRANSLATED = {
    m.PublicSite: ("resident_text",),
    m.PublicEntry: ("resident_text", "services", "areas"),
}

for _model, _fields in TRANSLATED.items():
    register(_model)(type(f"{_model.__name__}Translation", (TranslationOptions,), {"fields": _fields}))

for _model in (m.PublicSite, m.PublicEntry):
    simple_history.register(_model)
