"""Content in fi/sv/en. History is registered after the translated fields exist (see
organisations/translation.py for why)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from . import models as m

TRANSLATED = {
    m.Programme: ("name", "description", "target_description", "baseline_label", "decision_body"),
    m.ProgrammeVersion: ("label",),
    m.Theme: ("name", "description"),
    m.Target: ("name", "description", "estimate_note"),
    m.Measure: ("name", "description", "estimate_note", "service_level_effect"),
    m.MeasureDependency: ("note",),
    m.TopDownTarget: ("note",),
    m.Funding: ("name", "note"),
    m.FundingAllocation: ("label", "note"),
    m.Project: ("name", "description"),
    m.Indicator: ("name", "note"),
    m.Risk: ("title", "description", "mitigation"),
    m.ImpactAssessment: ("clients", "staff", "equality_language", "wellbeing", "finances"),
    m.Goal: ("name",),
}

for _model, _fields in TRANSLATED.items():
    register(_model)(type(f"{_model.__name__}Translation", (TranslationOptions,), {"fields": _fields}))

for _model in [m.Programme, m.ProgrammeVersion, m.Publication, *m.VERSION_CONTENT_MODELS]:
    simple_history.register(_model)
