"""Who may do what: every role × every page and API endpoint × read/write.

Each row names a URL, how it is called and which personas are allowed; every other persona must be
refused — anonymous users sent to the login page (or answered 401/403 by the API), users of another
organisation answered 404 (they must not even learn that the object exists), members without the
right answered 403. A URL of the project without a row here fails `test_every_url_has_a_row`.

The writes run against the draft version 3 of Itä-Uusimaa (a copy of the approved version 2):
theme 1 is owned by theme-owner.ita-uusimaa, the measures of theme 3 by measure-owner.ita-uusimaa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

P = "ita-uusimaa-2023-2026"
ORG = "ita-uusimaa"

PERSONAS = {
    "anonymous": None,
    "superuser": "admin",
    "admin": "admin.ita-uusimaa",
    "pmo": "pmo.ita-uusimaa",
    "theme_owner": "theme-owner.ita-uusimaa",
    "measure_owner": "measure-owner.ita-uusimaa",
    "finance": "finance.ita-uusimaa",
    "viewer": "viewer.ita-uusimaa",
    "outsider": "pmo.kymenlaakso",
}
MEMBERS = {"superuser", "admin", "pmo", "theme_owner", "measure_owner", "finance", "viewer"}
SIGNED_IN = MEMBERS | {"outsider"}
PMO = {"superuser", "pmo"}
PEOPLE = {"superuser", "admin"}
VERIFIERS = {"superuser", "finance"}
BOOKS = {"superuser", "pmo", "finance"}  # the books: finance and the programme office read them
FINANCE = {"superuser", "finance"}  # finance imports and maps them
PROJECT = "H-MATRIX"  # a project of Itä-Uusimaa owned by measure-owner.ita-uusimaa (made in matrix_data)
PR = {"slug": ORG, "code": PROJECT}


@dataclass
class Row:
    name: str
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    allowed: set[str] = field(default_factory=set)
    query: str = ""
    label: str = ""
    json: bool = False
    expect_off: bool = False  # a feature switched off by default settings answers 404 to everybody
    others_see: str = ""  # what signed-in people without the right get, when not 403

    @property
    def id(self) -> str:
        return f"{self.name}:{self.method}{':' + self.label if self.label else ''}"


def v(number=3, **extra):
    return {"slug": P, "number": number, **extra}


# The public site of Kymenlaakso's programme (published in the demo): readable by everybody, signed in or
# not, in every language; karki/public/tests/test_safety.py tries what must stay hidden.
PUBLIC = "kymenlaakso-2023-2025"
PUBLIC_PAGES = [("public:home", {}), ("public:changes", {}), ("public:theme", {"code": "1"}),
                ("public:measure", {"code": "1.1.a"}), ("public:reports", {}), ("public:report", {"number": 1}),
                ("public:compare", {}), ("public:data", {}), ("public:accessibility", {})]
PUBLIC_ROWS = [
    *(Row(name, {"slug": PUBLIC, **kwargs}, allowed=set(PERSONAS)) for name, kwargs in PUBLIC_PAGES),
    *(Row(f"{name}-lang", {"slug": PUBLIC, "lang": "sv", **kwargs}, allowed=set(PERSONAS))
      for name, kwargs in PUBLIC_PAGES),
    Row("public:index", allowed=set(PERSONAS)),
    Row("public:index-lang", {"lang": "sv"}, allowed=set(PERSONAS)),
    Row("public:sitemap", allowed=set(PERSONAS)),
    Row("public:robots", allowed=set(PERSONAS)),
    Row("public:datapackage", {"slug": PUBLIC}, allowed=set(PERSONAS)),
    Row("public:dcat", {"slug": PUBLIC}, allowed=set(PERSONAS)),
    Row("public:data-file", {"slug": PUBLIC, "name": "measures", "extension": "csv"}, allowed=set(PERSONAS)),
    Row("public:data-file", {"slug": PUBLIC, "name": "measures", "extension": "json"}, allowed=set(PERSONAS),
        label="json"),
]

ROWS = [
    # -- pages: reading
    Row("core:home", allowed=SIGNED_IN),  # my work: the tasks and programmes of the person signed in
    Row("programmes:programme-list", allowed=SIGNED_IN),
    Row("programmes:programme-detail", {"slug": P}, allowed=MEMBERS),
    Row("programmes:version-detail", v(2), allowed=MEMBERS, label="approved"),
    Row("programmes:version-detail", v(3), allowed=MEMBERS, label="draft"),
    Row("programmes:compare", {"slug": P}, allowed=MEMBERS),
    Row("programmes:measure-list", v(2), allowed=MEMBERS),
    Row("programmes:measure-list", v(2), query="?format=csv", allowed=MEMBERS, label="csv"),
    Row("programmes:measures-latest", {"slug": P}, allowed=MEMBERS),
    Row("programmes:risk-list", v(2), allowed=MEMBERS),
    Row("programmes:risk-list", v(2), query="?category=financial&sort=code", allowed=MEMBERS, label="filtered"),
    Row("programmes:risks-latest", {"slug": P}, allowed=MEMBERS),
    Row("programmes:measure-detail", v(code="3.1.a"), allowed=MEMBERS),
    Row("audit:measure-history", v(code="3.1.a"), allowed=MEMBERS),
    Row("audit:programme-history", {"slug": P}, allowed=MEMBERS),
    Row("audit:programme-history-csv", {"slug": P}, allowed=MEMBERS),
    Row("audit:programme-history-json", {"slug": P}, allowed=MEMBERS),
    # -- pages: changing
    Row("programmes:version-start", {"slug": P}, "post", {}, allowed=PMO),
    Row("programmes:version-approve", v(3), "post", {"confirm": "yes"}, allowed=PMO),
    Row("programmes:version-approve", v(3), allowed=PMO, label="confirmation"),
    Row("programmes:version-publish", v(2), "post", {"confirm": "yes"}, allowed=PMO),
    Row("programmes:version-publish", v(2), allowed=PMO, label="confirmation"),
    Row("programmes:theme-create", v(), allowed=PMO, label="form"),
    Row("programmes:theme-create", v(), "post", {}, allowed=PMO),
    Row("programmes:theme-edit", v(code="1"), "post", {}, allowed=PMO | {"theme_owner"}, label="own theme"),
    Row("programmes:theme-edit", v(code="2"), "post", {}, allowed=PMO, label="other theme"),
    Row("programmes:target-create", v(theme_code="1"), "post", {}, allowed=PMO | {"theme_owner"}),
    Row("programmes:target-edit", v(code="1.1"), "post", {}, allowed=PMO | {"theme_owner"}, label="own theme"),
    Row("programmes:target-edit", v(code="2.1"), "post", {}, allowed=PMO, label="other theme"),
    Row("programmes:measure-create", v(), allowed=PMO | {"theme_owner"}, label="form"),
    Row("programmes:measure-create", v(), "post", {}, allowed=PMO | {"theme_owner"}),
    Row("programmes:measure-edit", v(code="3.1.a"), allowed=PMO | {"measure_owner"}, label="form"),
    Row("programmes:measure-edit", v(code="3.1.a"), "post", {}, allowed=PMO | {"measure_owner"},
        label="owner's measure"),
    Row("programmes:measure-edit", v(code="1.1.a"), "post", {}, allowed=PMO | {"theme_owner"},
        label="theme owner's measure"),
    Row("programmes:measure-edit", v(2, code="3.1.a"), "post", {}, allowed=set(), label="approved version"),
    Row("programmes:measure-estimate", v(code="3.1.a"), "post", {}, allowed=PMO | {"measure_owner", "finance"}),
    Row("programmes:measure-estimate", v(code="2.1.a"), "post", {}, allowed=PMO | {"finance"},
        label="nobody's measure"),
    Row("programmes:measure-delete", v(code="3.1.a"), allowed=PMO, label="form"),
    Row("programmes:measure-delete", v(code="1.1.a"), "post", {"revision": "999"}, allowed=PMO | {"theme_owner"}),
    Row("programmes:dependency-add", v(code="3.1.a"), "post", {}, allowed=PMO | {"measure_owner"}),
    Row("programmes:dependency-remove", v(code="3.1.a", other="3.1.b"), "post", {}, allowed=PMO | {"measure_owner"}),
    Row("programmes:risk-create", v(), allowed=PMO | {"theme_owner"}, label="form"),
    Row("programmes:risk-create", v(), "post", {}, allowed=PMO | {"theme_owner"}),
    Row("programmes:risk-edit", v(code="R1"), "post", {}, allowed=PMO, label="programme risk"),
    Row("programmes:risk-edit", v(code="T1"), "post", {}, allowed=PMO | {"theme_owner"}, label="theme risk"),
    Row("programmes:risk-delete", v(code="R1"), "post", {"revision": "999"}, allowed=PMO),
    # -- API: reading
    Row("api-programme-list", allowed=SIGNED_IN, json=True),
    Row("api-programme-detail", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-programme-summary", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-theme-list", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-target-list", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-measure-list", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-measure-detail", {"slug": P, "code": "3.1.a"}, allowed=MEMBERS, json=True),
    Row("api-risk-list", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-risk-detail", {"slug": P, "code": "R1"}, allowed=MEMBERS, json=True),
    Row("api-indicator-list", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-programme-history", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-schema", allowed=SIGNED_IN, json=True),
    Row("api-docs", allowed=SIGNED_IN),  # the interactive reference; anonymous people are sent to sign in
    # -- API: changing (the draft is the latest version)
    Row("api-measure-list", {"slug": P}, "post", {"code": "1.1.x", "target": "1.1", "name": {"fi": "Uusi"}},
        allowed=PMO | {"theme_owner"}, json=True),
    Row("api-measure-detail", {"slug": P, "code": "3.1.a"}, "patch", {"horizon": "long", "revision": 999},
        allowed=PMO | {"measure_owner"}, json=True, label="fields"),
    Row("api-measure-detail", {"slug": P, "code": "3.1.a"}, "patch",
        {"estimate": {"kind": "point", "amount_eur": "1000"}, "revision": 999},
        allowed=PMO | {"measure_owner", "finance"}, json=True, label="money"),
    Row("api-measure-detail", {"slug": P, "code": "1.1.a"}, "delete", None, query="?revision=999",
        allowed=PMO | {"theme_owner"}, json=True),
    Row("api-measure-estimate", {"slug": P, "code": "3.1.a"}, "put",
        {"estimate": {"kind": "point", "amount_eur": "1000"}, "revision": 999},
        allowed=PMO | {"measure_owner", "finance"}, json=True),
    Row("api-risk-list", {"slug": P}, "post", {"code": "R9", "category": "other", "title": {"fi": "Riski"}},
        allowed=PMO, json=True, label="programme risk"),
    Row("api-risk-list", {"slug": P}, "post",
        {"code": "R9", "category": "other", "title": {"fi": "Riski"}, "theme": "1"},
        allowed=PMO | {"theme_owner"}, json=True, label="theme risk"),
    Row("api-risk-detail", {"slug": P, "code": "T1"}, "patch", {"impact": 4, "revision": 999},
        allowed=PMO | {"theme_owner"}, json=True),
    Row("api-risk-detail", {"slug": P, "code": "R1"}, "delete", None, query="?revision=999", allowed=PMO, json=True),
    Row("api-theme-list", {"slug": P}, "post", {"code": "9", "name": {"fi": "Uusi"}}, allowed=PMO, json=True),
    Row("api-theme-detail", {"slug": P, "code": "1"}, allowed=MEMBERS, json=True),
    Row("api-theme-detail", {"slug": P, "code": "1"}, "patch", {"revision": 999}, allowed=PMO | {"theme_owner"},
        json=True, label="own theme"),
    Row("api-theme-detail", {"slug": P, "code": "2"}, "patch", {"revision": 999}, allowed=PMO, json=True,
        label="other theme"),
    Row("api-target-list", {"slug": P}, "post", {"theme": "1", "code": "1.9", "name": {"fi": "Uusi"}},
        allowed=PMO | {"theme_owner"}, json=True),
    Row("api-target-detail", {"slug": P, "code": "1.1"}, allowed=MEMBERS, json=True),
    Row("api-target-detail", {"slug": P, "code": "1.1"}, "patch", {"difficulty": "demanding", "revision": 999},
        allowed=PMO | {"theme_owner"}, json=True, label="fields"),
    Row("api-target-detail", {"slug": P, "code": "2.1"}, "patch",
        {"estimate": {"kind": "point", "amount_eur": "1000"}, "revision": 999}, allowed=PMO | {"finance"},
        json=True, label="money"),
    Row("api-dependency-add", {"slug": P, "code": "3.1.a"}, "post", {"depends_on": "2.1.a"},
        allowed=PMO | {"measure_owner"}, json=True),
    Row("api-dependency-detail", {"slug": P, "code": "3.1.a", "other": "3.1.b"}, "delete", None,
        allowed=PMO | {"measure_owner"}, json=True),
    Row("api-version-start", {"slug": P}, "post", {}, allowed=PMO, json=True),
    Row("api-version-approve", {"slug": P, "number": 3}, "post", {}, allowed=PMO, json=True),
    Row("api-version-publication", {"slug": P, "number": 2}, "post", {}, allowed=PMO, json=True),
    Row("api-version-publication", {"slug": P, "number": 2}, "delete", None, allowed=PMO, json=True,
        label="withdraw"),
    # -- monitoring: the demo programme reports monthly in 2024; December is still open. Reading is for
    # members only (reports name people and hold internal text); periods and reviews are the PMO's.
    Row("monitoring:status", {"slug": P}, allowed=MEMBERS),
    Row("monitoring:status", {"slug": P}, query="?period=2024-06", allowed=MEMBERS, label="a period"),
    Row("monitoring:period-list", {"slug": P}, allowed=MEMBERS),
    Row("monitoring:period-list", {"slug": P}, "post", {}, allowed=PMO, label="open"),
    Row("monitoring:period-close", {"slug": P, "period": "2024-12"}, "post", {}, allowed=PMO),
    Row("monitoring:period-reports", {"slug": P, "period": "2024-12"}, allowed=MEMBERS),
    Row("monitoring:period-remind", {"slug": P, "period": "2024-12"}, "post", {}, allowed=PMO),
    Row("monitoring:report-batch", {"slug": P, "period": "2024-12"}, allowed=PMO | {"theme_owner", "measure_owner"},
        label="form"),
    Row("monitoring:report-batch", {"slug": P, "period": "2024-12"}, "post", {},
        allowed=PMO | {"theme_owner", "measure_owner"}),
    Row("monitoring:report-review", {"slug": P, "period": "2024-12", "code": lambda: _reported_code()},
        allowed=PMO, label="form"),
    Row("monitoring:report-review", {"slug": P, "period": "2024-12", "code": lambda: _reported_code()}, "post",
        {"action": "return"}, allowed=PMO),
    # Finance verifies claimed realised savings; the programme office follows the page without deciding.
    Row("monitoring:verification", {"slug": P}, allowed=VERIFIERS | {"pmo"}),
    Row("monitoring:verification", {"slug": P}, query="?period=2024&category=personnel&show=all",
        allowed=VERIFIERS | {"pmo"}, label="filtered"),
    Row("monitoring:verification-saving", {"slug": P, "pk": lambda: _claim_pk()}, allowed=VERIFIERS | {"pmo"},
        label="form"),
    Row("monitoring:verification-saving", {"slug": P, "pk": lambda: _claim_pk()}, "post",
        {"decision": "rejected", "reason": "Ei näy kirjanpidossa."}, allowed=VERIFIERS),
    Row("monitoring:verification-bulk", {"slug": P}, "post", {"item": lambda: f"{_claim_pk()}:1"},
        allowed=VERIFIERS),
    Row("api-programme-status", {"slug": P}, query="?period=2024-12", allowed=MEMBERS, json=True),
    Row("api-measure-report", {"slug": P, "code": "3.1.a"}, "post",
        {"period": "2024-12", "phase": "started", "status": "green"}, allowed=PMO | {"measure_owner"}, json=True,
        label="owner's measure"),
    Row("api-measure-report", {"slug": P, "code": "1.1.a"}, "post",
        {"period": "2024-12", "phase": "started", "status": "green"}, allowed=PMO | {"theme_owner"}, json=True,
        label="theme owner's measure"),
    # -- reports: members make slide decks and Excel workbooks and read the issued council reports; only the
    # programme office issues a council report. The BI exports are for members, like the monitoring.
    Row("reports:reports", {"slug": P}, allowed=MEMBERS),
    Row("reports:start", {"slug": P}, "post", {}, allowed=MEMBERS),
    Row("reports:council-list", {"slug": P}, allowed=MEMBERS),
    Row("reports:council-list", {"slug": P}, "post", {}, allowed=PMO, label="issue"),
    Row("reports:council-pdf", {"slug": P, "number": lambda: _council_report_number(), "language": "fi"},
        allowed=MEMBERS),
    Row("api-export-measures", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-export-measures", {"slug": P}, query="?format=csv", allowed=MEMBERS, json=True, label="csv"),
    Row("api-export-status-reports", {"slug": P}, query="?period=2024-12", allowed=MEMBERS, json=True),
    Row("api-export-savings-by-year", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-export-savings-by-theme", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-export-savings-by-org-unit", {"slug": P}, allowed=MEMBERS, json=True),
    Row("api-export-savings-by-cost-category", {"slug": P}, query="?format=csv", allowed=MEMBERS, json=True),
    # The books' exports: finance and the programme office, as the books pages.
    Row("api-export-books", {"slug": P}, query="?format=csv", allowed=BOOKS, json=True),
    Row("api-export-books-unmapped", {"slug": P}, query="?year=2024", allowed=BOOKS, json=True),
    # -- forecast, what-if and baskets: they read the monitoring, so members only. A what-if preview writes
    # nothing (every member); saving a scenario is for those who work on the programme; recording
    # management's decision on a basket is the programme office's.
    Row("forecasts:forecast", {"slug": P}, allowed=MEMBERS),
    Row("forecasts:forecast", {"slug": P}, "post", {}, allowed=MEMBERS, label="what-if preview"),
    Row("forecasts:help", {"slug": P}, allowed=MEMBERS),
    Row("forecasts:scenarios", {"slug": P}, allowed=MEMBERS),
    Row("forecasts:scenarios", {"slug": P}, "post", {}, allowed=PMO | {"finance", "theme_owner", "measure_owner"},
        label="save"),
    Row("forecasts:baskets", {"slug": P}, allowed=MEMBERS),
    Row("forecasts:basket-decision", {"slug": P}, "post", {}, allowed=PMO),
    Row("api-programme-forecast", {"slug": P}, query="?draws=1000", allowed=MEMBERS, json=True),
    # -- the organisation: people and org units are the administrators'
    Row("organisations:organisation-list", allowed=SIGNED_IN),
    Row("organisations:organisation-detail", {"slug": ORG}, allowed=MEMBERS),
    Row("organisations:org-units", {"slug": ORG}, allowed=PEOPLE),
    Row("organisations:org-unit-create", {"slug": ORG}, "post", {}, allowed=PEOPLE),
    Row("organisations:org-unit-edit", {"slug": ORG, "pk": lambda: _unit_pk()}, "post", {}, allowed=PEOPLE),
    Row("organisations:people", {"slug": ORG}, allowed=PEOPLE),
    Row("organisations:person-add", {"slug": ORG}, "post", {}, allowed=PEOPLE),
    Row("organisations:role-changes", {"slug": ORG}, allowed=PEOPLE),
    Row("organisations:account-changes", {"slug": ORG}, allowed=PEOPLE),
    Row("organisations:person-edit", {"slug": ORG, "pk": lambda: _user_pk("viewer.ita-uusimaa")}, "post", {},
        allowed=PEOPLE),
    Row("organisations:person-remove", {"slug": ORG, "pk": lambda: _user_pk("viewer.ita-uusimaa")}, "post", {},
        allowed=PEOPLE),
    # -- key results (OKR): members read; the programme office imports; check-ins also by the owner of a
    # linked measure (the demo key result linked to 3.1.a, whose owner is measure-owner.ita-uusimaa)
    Row("projects:history", PR, allowed=MEMBERS),
    # -- the funder's report: members read the issued reports and download their files; only the programme
    # office issues one (it speaks for the county), not even the project's owner
    Row("projects:funder-reports", PR, allowed=MEMBERS),
    Row("projects:funder-reports", PR, "post", {}, allowed=PMO, label="issue"),
    Row("projects:funder-report", {**PR, "pk": lambda: _funder_report_pk()}, allowed=MEMBERS),
    Row("projects:funder-report-file", {**PR, "pk": lambda: _funder_report_pk(), "kind": "xlsx"}, allowed=MEMBERS),
    # -- a project's monthly follow-up: members read it; its owner and the programme office write it; the
    # programme office reviews it (a submitted follow-up of H-MATRIX in 2025-01, made by _follow_up_period)
    Row("projects:follow-up", PR, allowed=MEMBERS),
    Row("projects:follow-up-period", {**PR, "period": lambda: _follow_up_period()}, allowed=MEMBERS),
    Row("projects:follow-up-period", {**PR, "period": lambda: _follow_up_period()}, "post", {},
        allowed=PMO | {"measure_owner"}),
    Row("projects:follow-up-review", {**PR, "period": lambda: _follow_up_period()}, "post", {}, allowed=PMO),
    # -- the project workbook: the programme office imports new projects; the plan's owner (and the programme
    # office) imports over it; members export the plan and download the template
    Row("projects:organisation-import", {"slug": ORG}, allowed=PMO, label="form"),
    Row("projects:organisation-import", {"slug": ORG}, "post", {}, allowed=PMO),
    Row("projects:workbook-template", {"slug": ORG}, allowed=MEMBERS),
    Row("projects:workbook-import", PR, allowed=PMO | {"measure_owner"}, label="form"),
    Row("projects:workbook-import", PR, "post", {}, allowed=PMO | {"measure_owner"}),
    Row("projects:workbook-export", PR, allowed=MEMBERS),
    Row("projects:workbook-import-confirm", {"job_id": lambda: _project_check_job_pk("pmo.ita-uusimaa")}, "post",
        {}, allowed={"pmo"}, label="someone's own check", others_see="not_found"),
    # -- the project API: members read; the programme office adds projects; the owner keeps the plan and reports
    Row("api-project-list", {"slug": ORG}, allowed=MEMBERS, json=True),
    Row("api-project-list", {"slug": ORG}, "post", {}, allowed=PMO, json=True),
    Row("api-project-detail", PR, allowed=MEMBERS, json=True),
    Row("api-project-detail", PR, "patch", {"revision": 999}, allowed=PMO | {"measure_owner"}, json=True),
    Row("api-project-plan", PR, allowed=MEMBERS, json=True),
    Row("api-project-budget-line", PR, "put", {}, allowed=PMO | {"measure_owner"}, json=True),
    Row("api-project-milestones", PR, allowed=MEMBERS, json=True),
    Row("api-project-milestones", PR, "post", {}, allowed=PMO | {"measure_owner"}, json=True),
    Row("api-project-follow-up", {**PR, "period": "2024-12"}, allowed=MEMBERS, json=True),
    Row("api-project-follow-up", {**PR, "period": "2024-12"}, "put", {}, allowed=PMO | {"measure_owner"},
        json=True),
    Row("okr:overview", {"slug": ORG}, allowed=MEMBERS),
    Row("okr:key-result", {"slug": ORG, "pk": lambda: _key_result_pk()}, allowed=MEMBERS),
    Row("okr:key-result", {"slug": ORG, "pk": lambda: _key_result_pk()}, "post", {},
        allowed=PMO | {"measure_owner"}, label="check-in"),
    Row("okr:key-result", {"slug": ORG, "pk": lambda: _key_result_pk(linked=False)}, "post", {},
        allowed=PMO, label="check-in, no linked measure"),
    Row("okr:check-in-confidence", {"slug": ORG, "pk": lambda: _key_result_pk(), "entry_pk": lambda: _check_in_pk()},
        "post", {"wrong": "1"}, allowed=PMO | {"measure_owner"}),
    # objectives and key results are set by the programme office; the owner of a linked measure checks in
    # on the key result but does not change or remove it
    Row("okr:objective-create", {"slug": ORG}, allowed=PMO, label="form"),
    Row("okr:objective-create", {"slug": ORG}, "post", {}, allowed=PMO),
    Row("okr:objective-edit", {"slug": ORG, "pk": lambda: _objective_pk()}, allowed=PMO, label="form"),
    Row("okr:objective-edit", {"slug": ORG, "pk": lambda: _objective_pk()}, "post", {}, allowed=PMO),
    Row("okr:objective-delete", {"slug": ORG, "pk": lambda: _objective_pk()}, allowed=PMO, label="form"),
    Row("okr:objective-delete", {"slug": ORG, "pk": lambda: _objective_pk()}, "post", {"revision": "999"},
        allowed=PMO),
    Row("okr:key-result-create", {"slug": ORG, "objective_pk": lambda: _objective_pk()}, allowed=PMO, label="form"),
    Row("okr:key-result-create", {"slug": ORG, "objective_pk": lambda: _objective_pk()}, "post", {}, allowed=PMO),
    Row("okr:key-result-edit", {"slug": ORG, "pk": lambda: _key_result_pk()}, allowed=PMO, label="form"),
    Row("okr:key-result-edit", {"slug": ORG, "pk": lambda: _key_result_pk()}, "post", {}, allowed=PMO),
    Row("okr:key-result-delete", {"slug": ORG, "pk": lambda: _key_result_pk()}, allowed=PMO, label="form"),
    Row("okr:key-result-delete", {"slug": ORG, "pk": lambda: _key_result_pk()}, "post", {"revision": "999"},
        allowed=PMO),
    Row("okr:import", {"slug": ORG}, allowed=PMO, label="form"),
    Row("okr:import", {"slug": ORG}, "post", {}, allowed=PMO),
    Row("okr:import-confirm", {"slug": ORG, "job_id": lambda: _okr_check_job_pk("pmo.ita-uusimaa")}, "post", {},
        allowed={"pmo"}, label="someone's own check", others_see="not_found"),
    Row("api-key-result-list", {"slug": ORG}, allowed=MEMBERS, json=True),
    Row("api-check-in", {"slug": ORG, "pk": lambda: _key_result_pk()}, "post", {"date": "2025-01-01"},
        allowed=PMO | {"measure_owner"}, json=True),
    # -- the books: savings in the books, the mapping and the import
    Row("books:reconciliation", {"slug": P}, allowed=BOOKS),
    Row("books:reconciliation", {"slug": P}, query="?year=2024&month=3&unit=1&category=rents", allowed=BOOKS,
        label="filtered"),
    Row("books:mapping", {"slug": P}, allowed=BOOKS),
    Row("books:mapping", {"slug": P}, "post", {"action": "cost_centre"}, allowed=FINANCE),
    Row("books:import", {"slug": P}, allowed=FINANCE, label="form"),
    Row("books:import", {"slug": P}, "post", {}, allowed=FINANCE),
    # -- background work: the list is everybody's own; a job only its starter's
    Row("jobs:job-list", allowed=SIGNED_IN),
    Row("jobs:job-detail", {"job_id": lambda: _job_pk("viewer.ita-uusimaa")}, allowed={"viewer"},
        label="someone's own job", others_see="not_found"),
    Row("jobs:job-download", {"job_id": lambda: _job_pk("viewer.ita-uusimaa")}, allowed={"viewer"},
        label="someone's own job", others_see="not_found"),
    # -- programme workbooks: the programme office imports (a check job, then a confirm that only the check's
    # starter reaches); members export any version they read and download the template
    Row("workbooks:programme-import", {"slug": P}, allowed=PMO, label="form"),
    Row("workbooks:programme-import", {"slug": P}, "post", {}, allowed=PMO),
    Row("workbooks:import-confirm", {"job_id": lambda: _check_job_pk("pmo.ita-uusimaa")}, "post", {},
        allowed={"pmo"}, label="someone's own check", others_see="not_found"),
    Row("workbooks:version-export", v(2), "post", {}, allowed=MEMBERS, label="approved"),
    Row("workbooks:version-export", v(3), "post", {}, allowed=MEMBERS, label="draft"),
    Row("workbooks:template", {"slug": ORG}, allowed=MEMBERS),
    Row("workbooks:programme-create", {"slug": ORG}, allowed=PMO, label="form"),
    Row("workbooks:programme-create", {"slug": ORG}, "post", {}, allowed=PMO),
    Row("api-version-workbook", {"slug": P}, query="?version=2", allowed=MEMBERS, json=True),
    Row("api-workbook-template", {"slug": ORG}, allowed=MEMBERS, json=True),
    # -- projects: keeping the plan. The programme office keeps every project; a project's owner (here
    # measure-owner.ita-uusimaa) keeps their own; other members read it only. Measured values of the
    # programme's indicators are recorded by the programme office and finance.
    Row("projects:project-create", {"slug": ORG}, allowed=PMO, label="form"),
    Row("projects:project-create", {"slug": ORG}, "post", {}, allowed=PMO),
    Row("projects:project-edit", {"slug": ORG, "code": lambda: _project_code()}, allowed=PMO | {"measure_owner"},
        label="form"),
    Row("projects:project-edit", {"slug": ORG, "code": lambda: _project_code()}, "post", {"revision": "999"},
        allowed=PMO | {"measure_owner"}),
    Row("projects:structure-edit", {"slug": ORG, "code": lambda: _project_code()}, allowed=PMO | {"measure_owner"}),
    Row("projects:structure-edit", {"slug": ORG, "code": lambda: _project_code()}, "post", {"what": "item"},
        allowed=PMO | {"measure_owner"}, label="add"),
    Row("projects:funders-edit", {"slug": ORG, "code": lambda: _project_code()}, allowed=PMO | {"measure_owner"}),
    Row("projects:budget-edit", {"slug": ORG, "code": lambda: _project_code()}, allowed=PMO | {"measure_owner"}),
    Row("projects:budget-edit", {"slug": ORG, "code": lambda: _project_code()}, "post", {},
        allowed=PMO | {"measure_owner"}, label="save"),
    Row("projects:schedule-edit", {"slug": ORG, "code": lambda: _project_code()}, allowed=PMO | {"measure_owner"}),
    Row("projects:risks-edit", {"slug": ORG, "code": lambda: _project_code()}, allowed=PMO | {"measure_owner"}),
    Row("projects:indicators-edit", {"slug": ORG, "code": lambda: _project_code()}, allowed=PMO | {"measure_owner"}),
    Row("projects:indicator-value-create", {"slug": ORG, "code": lambda: _project_code(), "indicator": "I1"},
        "post", {}, allowed=PMO | {"measure_owner"}),
    Row("projects:programme-indicator-value-create", {"slug": P, "indicator": lambda: _programme_indicator_code()},
        allowed=PMO | {"finance"}, label="form"),
    Row("projects:programme-indicator-value-create", {"slug": P, "indicator": lambda: _programme_indicator_code()},
        "post", {}, allowed=PMO | {"finance"}),
    # -- projects: reading the plan. Members of the organisation read every project (plans name people and
    # hold unreviewed follow-up); other counties learn nothing of them.
    Row("projects:programme-projects", {"slug": P}, allowed=MEMBERS),
    Row("projects:organisation-projects", {"slug": ORG}, allowed=MEMBERS),
    Row("projects:project", PR, allowed=MEMBERS),
    Row("projects:budget", PR, allowed=MEMBERS),
    Row("projects:schedule", PR, allowed=MEMBERS),
    Row("projects:indicators", PR, allowed=MEMBERS),
    Row("projects:programme-indicators", {"slug": P}, allowed=MEMBERS),
    # -- the public site's settings: what residents see is the programme office's decision; other members get
    # 403, another county's people 404 (they must not learn what is prepared for residents)
    Row("public:office", {"slug": P}, allowed=PMO),
    Row("public:office", {"slug": P}, "post", {"save": "visibility"}, allowed=PMO, label="list"),
    Row("public:office", {"slug": P}, "post", {"save": "site"}, allowed=PMO, label="site"),
    Row("public:office-entry", {"slug": P, "kind": "measure", "code": "3.1.a"}, allowed=PMO),
    Row("public:office-entry", {"slug": P, "kind": "theme", "code": "1"}, "post", {}, allowed=PMO),
    # -- outside the programme
    Row("accounts:login", allowed=set(PERSONAS), label="page"),
    Row("accounts:no-roles", allowed=set(PERSONAS)),
    Row("accounts:oidc-login", allowed=set(), label="single sign-on off", expect_off=True),
    Row("accounts:oidc-callback", allowed=set(), label="single sign-on off", expect_off=True),
    Row("accounts:tokens", allowed=SIGNED_IN, label="own tokens"),
    Row("accounts:tokens", method="post", data={}, allowed=SIGNED_IN, label="create"),
    Row("accounts:token-revoke", {"digest": lambda: _token_digest("viewer.ita-uusimaa")}, "post", {},
        allowed={"viewer"}, label="someone's own token", others_see="not_found"),
    Row("accounts:logout", method="post", data={}, allowed=set(PERSONAS)),
    Row("core:set-language", {"code": "sv"}, allowed=set(PERSONAS)),
    Row("core:accessibility", allowed=set(PERSONAS)),  # the accessibility statement is public
    Row("core:favicon", allowed=set(PERSONAS)),  # a redirect to the static icon, for everybody
    Row("core:styleguide", allowed={"superuser"}),  # the style guide is for the staff who build and theme Kärki
    # -- the public site: Kymenlaakso's programme is published (the demo), the same for everybody
    *PUBLIC_ROWS,
]

def _user_pk(username: str) -> int:
    return get_user_model().objects.get(username=username).pk


def _token_digest(username: str) -> str:
    from karki.accounts.models import ApiToken

    token = ApiToken.objects.filter(user__username=username, name="matrix").first()
    if token is None:
        token, _key = ApiToken.objects.create(user=get_user_model().objects.get(username=username))
        token.name = "matrix"
        token.save()
    return token.digest


def _job_pk(username: str):
    from karki.jobs.models import Job
    from karki.lib import dates
    from karki.organisations.models import Organisation

    job = Job.objects.filter(created_by__username=username, kind="matrix").first()
    if job is None:
        moment = dates.now()
        job = Job.objects.create(kind="matrix", organisation=Organisation.objects.get(slug=ORG),
                                 created_by=get_user_model().objects.get(username=username), created_at=moment,
                                 language="fi", state="succeeded", finished_at=moment, result_name="matrix.csv",
                                 result_content_type="text/csv", result_data=b"a;b\n")
    return job.pk


def _council_report_number() -> int:
    """An issued council report of the demo programme (its PDF stands in: the matrix checks who may read it)."""
    from karki.lib import dates
    from karki.monitoring.models import Period
    from karki.programmes.models import Programme
    from karki.reports.models import CouncilReport, CouncilReportFile

    report = CouncilReport.objects.filter(programme__slug=P).first()
    if report is None:
        programme = Programme.objects.get(slug=P)
        report = CouncilReport.objects.create(
            programme=programme, number=1, period=Period.objects.filter(programme=programme).first(),
            languages=["fi"], issued_at=dates.now(), issued_by=get_user_model().objects.get(username="pmo.ita-uusimaa"))
        CouncilReportFile.objects.create(report=report, language="fi", filename="katsaus.pdf", content=b"%PDF-1.7")
    return report.number


def _okr_check_job_pk(username: str):
    """A key-result table's check that did not finish: confirming it sends the person to the job's page."""
    from karki.jobs.models import Job
    from karki.lib import dates
    from karki.organisations.models import Organisation

    job = Job.objects.filter(created_by__username=username, kind="okr.check").first()
    if job is None:
        job = Job.objects.create(kind="okr.check", organisation=Organisation.objects.get(slug=ORG),
                                 created_by=get_user_model().objects.get(username=username), created_at=dates.now(),
                                 language="fi", state="failed", finished_at=dates.now(), summary={})
    return job.pk


def _check_job_pk(username: str):
    """A workbook check that found problems: confirming it says so and imports nothing."""
    from karki.jobs.models import Job
    from karki.lib import dates
    from karki.programmes.models import Programme

    job = Job.objects.filter(created_by__username=username, kind="workbooks.check").first()
    if job is None:
        programme = Programme.objects.get(slug=P)
        job = Job.objects.create(kind="workbooks.check", organisation=programme.organisation, programme=programme,
                                 created_by=get_user_model().objects.get(username=username), created_at=dates.now(),
                                 language="fi", state="failed", finished_at=dates.now(), summary={"ok": False})
    return job.pk


def _project_check_job_pk(username: str):
    """A project workbook check that found problems: confirming it says so and imports nothing."""
    from karki.jobs.models import Job
    from karki.lib import dates
    from karki.projects.models import Project

    job = Job.objects.filter(created_by__username=username, kind="projects.workbook-check").first()
    if job is None:
        project = Project.objects.get(organisation__slug=ORG, code=PROJECT)
        job = Job.objects.create(kind="projects.workbook-check", organisation=project.organisation,
                                 programme=project.programme, params={"project": project.pk},
                                 created_by=get_user_model().objects.get(username=username), created_at=dates.now(),
                                 language="fi", state="failed", finished_at=dates.now(), summary={"ok": False})
    return job.pk


def _key_result_pk(linked: bool = True) -> int:
    from karki.okr.models import KeyResult

    found = KeyResult.objects.filter(objective__organisation__slug=ORG, measure_links__isnull=not linked)
    return found.order_by("pk").values_list("pk", flat=True).first()


def _check_in_pk() -> int:
    """A check-in of the key result linked to a measure (one is made when the demo has none)."""
    from datetime import date

    from karki.okr.models import CheckIn

    key_result_pk = _key_result_pk()
    found = CheckIn.objects.filter(key_result_id=key_result_pk).order_by("pk").values_list("pk", flat=True).first()
    if found is None:
        found = CheckIn.objects.create(key_result_id=key_result_pk, date=date(2024, 12, 1), confidence=60).pk
    return found


def _objective_pk() -> int:
    from karki.okr.models import Objective

    return Objective.objects.filter(organisation__slug=ORG).order_by("pk").values_list("pk", flat=True).first()


def _reported_code() -> str:
    from karki.monitoring.models import StatusReport

    return (StatusReport.objects.filter(period__programme__slug=P, period__year=2024, period__month=12,
                                        state="submitted").order_by("measure_code")
            .values_list("measure_code", flat=True).first())


def _claim_pk() -> int:
    """A received realised saving of the demo programme (nobody in the matrix owns its measure or handed it in)."""
    from karki.monitoring.models import RealisedSaving

    return (RealisedSaving.objects.filter(report__period__programme__slug=P, report__state="accepted")
            .exclude(report__measure__owner__username__in=["measure-owner.ita-uusimaa", "finance.ita-uusimaa"])
            .exclude(report__submitted_by__username__in=["measure-owner.ita-uusimaa", "finance.ita-uusimaa", "admin"])
            .order_by("pk").values_list("pk", flat=True).first())


def _project_code() -> str:
    """A plan of Itä-Uusimaa owned by measure-owner.ita-uusimaa, with an indicator I1 (made when missing)."""
    from datetime import date

    from karki.organisations.models import Organisation
    from karki.projects import services
    from karki.projects.models import Project

    found = Project.objects.filter(organisation__slug=ORG, code="H-MATRIX").first()
    if found is None:
        users = get_user_model().objects
        pmo = users.get(username="pmo.ita-uusimaa")
        found = services.create_project(
            organisation=Organisation.objects.get(slug=ORG), code="H-MATRIX", name={"fi": "Matriisin hanke"}, by=pmo,
            start_date=date(2024, 1, 1), end_date=date(2025, 12, 31),
            owner=users.get(username="measure-owner.ita-uusimaa"))
        services.save_indicator(project=found, by=pmo, code="I1", name={"fi": "Mittari"})
    return found.code


def _programme_indicator_code() -> str:
    """An indicator of the latest approved version. The demo's Itä-Uusimaa has none and an approved version
    is frozen for its managers, so one is written below them, as if the version had been approved with it."""
    from karki.programmes.models import Indicator, ProgrammeVersion

    version = ProgrammeVersion.objects.filter(programme__slug=P, status="approved").order_by("-number").first()
    found = Indicator.objects.filter(version=version).order_by("code").values_list("code", flat=True).first()
    if found is None:
        from django.db import models

        models.QuerySet(Indicator).bulk_create([Indicator(version=version, code="I1", name="Mittari")])
        found = "I1"
    return found


def _unit_pk() -> int:
    from karki.organisations.models import OrgUnit

    return OrgUnit.objects.filter(organisation__slug=ORG).order_by("pk").values_list("pk", flat=True).first()


# URLs that are not part of the application's own permission model: the Django admin belongs to
# the platform operator (superusers only, checked by Django itself), static files and the like.
UNLISTED_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, prefix="") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in UNLISTED_NAMESPACES:
                continue
            names |= _all_url_names(pattern, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_has_a_row():
    missing = _all_url_names() - {row.name for row in ROWS}
    assert not missing, f"URLs without a row in the permission matrix: {sorted(missing)}"


def _matrix_funder_report(project, pmo):
    from karki.reports.services import issue_funder_report

    return issue_funder_report(project=project, first=(2024, 1), last=(2024, 12), language="fi", by=pmo)


def _funder_report_pk() -> int:
    from karki.reports.models import FunderReport

    return FunderReport.objects.filter(project__code=PROJECT).values_list("pk", flat=True).first()


def _matrix_project(pmo):
    from datetime import date

    from karki.programmes.models import Programme
    from karki.projects import services as project_services

    project = project_services.create_project(
        organisation=Programme.objects.get(slug=P).organisation, programme=Programme.objects.get(slug=P),
        code=PROJECT, name={"fi": "Matriisin hanke"}, by=pmo, start_date=date(2024, 1, 1),
        end_date=date(2025, 12, 31), owner=get_user_model().objects.get(username="measure-owner.ita-uusimaa"))
    item = project_services.save_item(project=project, by=pmo, code="1", kind="package", name={"fi": "Paketti"})
    own = project_services.save_funder(project=project, by=pmo, code="OMA", kind="own", name={"fi": "Omarahoitus"})
    project_services.set_budget_line(project=project, by=pmo, item=item, year=2024, cost_type="personnel",
                                     total_eur=1000, shares={own: 1000})
    project_services.save_milestone(project=project, by=pmo, code="M1", name={"fi": "Välitavoite"},
                                    due_date=date(2024, 6, 30))
    project_services.save_indicator(project=project, by=pmo, code="I1", name={"fi": "Mittari"})
    return project


def _follow_up_period() -> str:
    """January 2025 of Itä-Uusimaa opened, with the project's follow-up submitted by its owner."""
    from karki.monitoring.services import open_period
    from karki.programmes.models import Programme
    from karki.projects import services as project_services
    from karki.projects.models import Project

    users = get_user_model().objects
    period = open_period(programme=Programme.objects.get(slug=P), year=2025, month=1,
                         by=users.get(username="pmo.ita-uusimaa"))
    project = Project.objects.get(organisation__slug=ORG, code=PROJECT)
    if not project.reports.filter(period=period).exists():
        project_services.save_project_report(project=project, period=period, status="green", submit=True,
                                             by=users.get(username="measure-owner.ita-uusimaa"))
    return period.key


@pytest.fixture(scope="module")
def matrix_data(django_db_setup, django_db_blocker):
    """The draft version 3, with a risk of theme 1 (its owner's) next to the programme's risks.

    Copying a version takes a while, so it is made once for the module inside a transaction that is
    rolled back at the end; each test runs in a savepoint inside it, as in Django's setUpTestData.
    """
    from django.db import transaction

    from karki.organisations.models import Organisation, OrgUnit
    from karki.organisations.services import create_org_unit
    from karki.programmes import services
    from karki.programmes.models import Measure, Programme, Theme

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            pmo = get_user_model().objects.get(username="pmo.ita-uusimaa")
            draft = services.start_new_version(programme=Programme.objects.get(slug=P), by=pmo)
            services.create_risk(version=draft, code="T1", title={"fi": "Teeman riski"}, category="schedule",
                                 theme=Theme.objects.get(version=draft, code="1"), by=pmo)
            services.add_dependency(measure=Measure.objects.get(version=draft, code="3.1.a"),
                                    depends_on=Measure.objects.get(version=draft, code="3.1.b"), by=pmo)
            if not OrgUnit.objects.filter(organisation__slug=ORG).exists():
                create_org_unit(organisation=Organisation.objects.get(slug=ORG), code="SOS",
                                name={"fi": "Sosiaalipalvelut"}, parent=None, by=get_user_model().objects.get(
                                    username="admin.ita-uusimaa"))
            project = _matrix_project(pmo)
            _matrix_funder_report(project, pmo)
            yield draft
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_django_admin__platform_superusers_only(db, client):
    """The Django admin is the operator's tool, outside the organisations' roles."""
    url = reverse("admin:index")
    for username in ("admin.ita-uusimaa", "pmo.ita-uusimaa", "viewer.ita-uusimaa"):
        client.force_login(get_user_model().objects.get(username=username))
        assert client.get(url).status_code == 302
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get(url).status_code == 200


def _outcome(row: Row, response) -> str:
    status = response.status_code
    if status in (401, 403):
        if row.json or status == 403:
            return "forbidden" if status == 403 else "unauthenticated"
    if status == 302 and reverse("accounts:login") in response.headers.get("Location", "") and row.name not in (
            "accounts:logout",):
        return "login"
    if status == 404:
        return "not_found"
    if status >= 500:
        return "error"
    return "allowed"


CASES = [(row, persona) for row in ROWS for persona in PERSONAS]


@pytest.mark.parametrize(("row", "persona"), CASES, ids=[f"{r.id}-{p}" for r, p in CASES])
def test_permission(row: Row, persona: str, matrix_data, db, client):
    username = PERSONAS[persona]
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    kwargs = {key: value() if callable(value) else value for key, value in row.kwargs.items()}
    url = reverse(row.name, kwargs=kwargs) + row.query
    call = getattr(client, row.method)
    if row.json and row.data is not None:
        response = call(url, data=json.dumps(row.data), content_type="application/json")
    elif row.data is not None:
        response = call(url, data={key: value() if callable(value) else value for key, value in row.data.items()})
    else:
        response = call(url)
    outcome = _outcome(row, response)
    assert outcome != "error", response.content[:500]
    if persona in row.allowed:
        assert outcome == "allowed", f"{persona} should be allowed, got {response.status_code}"
        return
    if row.expect_off:
        expected = {"not_found"}
    elif persona == "anonymous":
        expected = {"unauthenticated", "forbidden"} if row.json else {"login"}
    elif row.others_see:
        expected = {row.others_see}
    elif persona == "outsider" and row.kwargs.get("slug") in (P, ORG):
        expected = {"not_found"}  # another county's user must not learn what exists
    else:
        expected = {"forbidden", "not_found"} if row.kwargs.get("number") == 2 else {"forbidden"}
    assert outcome in expected, f"{persona} should be refused ({expected}), got {response.status_code}"
