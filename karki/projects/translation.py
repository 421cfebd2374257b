"""Project content in fi/sv/en, and its history (registered after the translated fields exist, as in
programmes/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from . import models as m

TRANSLATED = {
    m.Project: ("name", "description", "goals", "expected_results", "impacts", "dependencies"),
    m.WorkItem: ("name", "description"),
    m.Funder: ("name",),
    m.Phase: ("name",),
    m.Milestone: ("name", "deliverable"),
    m.ProjectRisk: ("title", "description", "mitigation"),
    m.ProjectIndicator: ("name",),
}

for _model, _fields in TRANSLATED.items():
    register(_model)(type(f"{_model.__name__}Translation", (TranslationOptions,), {"fields": _fields}))

for _model in m.HISTORY_MODELS:
    simple_history.register(_model)
