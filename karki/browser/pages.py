"""The pages that the browser tests scan with axe-core in Finnish and Swedish, check for a unique
translated title, and (those marked) photograph at desktop and mobile widths.

To scan a new page, add one `Page` to PAGES. Addresses are written out; `{draft}`, `{period}` and
the other names in braces are filled from the server's demo database (see `prepare.py`, which
returns them). `user` is who looks at the page: a demo username, or None for a visitor who has not
signed in.

The public site (karki/public) has its language in the address, not in a cookie: `{lang}` in its
addresses is "" in Finnish and "sv/" in Swedish, so that each language is scanned at its own address.
Its titles end with the programme's name instead of Kärki's (`title_end`).
"""

from dataclasses import dataclass

PROGRAMME = "ita-uusimaa-2023-2026"
ORGANISATION = "ita-uusimaa"
PMO = "pmo.ita-uusimaa"
ADMIN = "admin.ita-uusimaa"
FINANCE = "finance.ita-uusimaa"

P = f"/programmes/{PROGRAMME}"
ORG = f"/organisations/{ORGANISATION}"


# The demo publishes Kymenlaakso's programme to residents, with two issued interim reports (karki/demo/public.py).
PUBLIC_PROGRAMME = "kymenlaakso-2023-2025"
PUBLIC_NAME = "Kymenlaakson hyvinvointialueen tuottavuusohjelma 2023–2025"
PUBLIC = f"/public/{PUBLIC_PROGRAMME}/{{lang}}"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: str | None = PMO
    screenshot: bool = False
    title_end: str = "– Kärki"

    def address(self, values: dict, language: str = "fi") -> str:
        return self.url.format(**values, lang="" if language == "fi" else f"{language}/")

    @property
    def public(self) -> bool:
        return self.url.startswith("/public/")


PAGES = [
    # Open to everybody
    Page("sign-in", "/accounts/login/", user=None, screenshot=True),
    Page("accessibility-statement", "/accessibility/", user=None, screenshot=True),
    Page("styleguide", "/styleguide/", user="admin", screenshot=True),
    # My work and the programmes
    Page("my-work", "/", screenshot=True),
    Page("programme-list", "/programmes/", screenshot=True),
    Page("programme", f"{P}/", screenshot=True),
    Page("approved-version", f"{P}/v/{{approved}}/"),
    Page("measure-list", f"{P}/v/{{approved}}/measures/?theme=3", screenshot=True),
    Page("approve-confirmation", f"{P}/v/{{draft}}/approve/", screenshot=True),
    Page("publish-confirmation", f"{P}/v/{{approved}}/publication/"),
    Page("measure", f"{P}/v/{{draft}}/measures/3.1.a/", screenshot=True),
    Page("measure-approved-version", f"{P}/v/{{approved}}/measures/3.1.a/"),
    Page("theme-create", f"{P}/v/{{draft}}/themes/new/"),
    Page("theme-edit", f"{P}/v/{{draft}}/themes/1/edit/"),
    Page("target-create", f"{P}/v/{{draft}}/themes/1/targets/new/"),
    Page("target-edit", f"{P}/v/{{draft}}/targets/1.1/edit/"),
    Page("measure-create", f"{P}/v/{{draft}}/measures/new/"),
    Page("measure-edit", f"{P}/v/{{draft}}/measures/3.1.a/edit/"),
    Page("estimate-edit", f"{P}/v/{{draft}}/measures/3.1.a/estimate/", screenshot=True),
    Page("measure-remove", f"{P}/v/{{draft}}/measures/3.1.a/delete/"),
    Page("dependency-add", f"{P}/v/{{draft}}/measures/3.1.a/dependencies/new/"),
    Page("risk-register", f"{P}/v/{{draft}}/risks/", screenshot=True),
    Page("risk-create", f"{P}/v/{{draft}}/risks/new/"),
    Page("risk-edit", f"{P}/v/{{draft}}/risks/R1/edit/"),
    Page("compare", f"{P}/compare/?a={{approved}}&b={{draft}}", screenshot=True),
    Page("programme-history", f"{P}/history/"),
    Page("measure-history", f"{P}/v/{{draft}}/measures/3.1.a/history/"),
    # Monitoring
    Page("status-picture", f"{P}/status/", screenshot=True),
    Page("periods", f"{P}/periods/"),
    Page("period-reports", f"{P}/periods/{{period}}/reports/", screenshot=True),
    Page("report-batch", f"{P}/periods/{{period}}/report/", screenshot=True),
    Page("report-review", f"{P}/periods/{{period}}/reports/{{reported_measure}}/review/"),
    Page("verification", f"{P}/verification/", user=FINANCE, screenshot=True),
    Page("verification-claim", f"{P}/verification/{{claim}}/", user=FINANCE),
    # Forecast, what-if and baskets
    Page("forecast", f"{P}/forecast/", screenshot=True),
    Page("forecast-help", f"{P}/forecast/help/"),
    Page("scenarios", f"{P}/forecast/scenarios/"),
    Page("baskets", f"{P}/baskets/", screenshot=True),
    # Organisation, people, key results
    Page("organisation-list", "/organisations/"),
    Page("organisation", f"{ORG}/"),
    Page("org-units", f"{ORG}/units/", user=ADMIN),
    Page("org-unit-create", f"{ORG}/units/new/", user=ADMIN),
    Page("org-unit-edit", f"{ORG}/units/{{org_unit}}/edit/", user=ADMIN),
    Page("people", f"{ORG}/people/", user=ADMIN, screenshot=True),
    Page("person-add", f"{ORG}/people/new/", user=ADMIN),
    Page("person-edit", f"{ORG}/people/{{person}}/", user=ADMIN),
    Page("person-remove", f"{ORG}/people/{{person}}/remove/", user=ADMIN),
    Page("role-changes", f"{ORG}/people/changes/", user=ADMIN),
    Page("account-changes", f"{ORG}/people/account-changes/", user=ADMIN),
    Page("project-history", "/organisations/kymenlaakso/projects/DIGI-1/history/", user="pmo.kymenlaakso"),
    # Keeping a project plan (the demo's sample project, `{project}`)
    Page("project-create", f"{ORG}/projects/new/"),
    Page("project-edit", f"{ORG}/projects/{{project}}/edit/"),
    Page("project-structure-edit", f"{ORG}/projects/{{project}}/structure/edit/", screenshot=True),
    Page("project-funders-edit", f"{ORG}/projects/{{project}}/funders/edit/"),
    Page("project-budget-edit", f"{ORG}/projects/{{project}}/budget/edit/", screenshot=True),
    Page("project-schedule-edit", f"{ORG}/projects/{{project}}/schedule/edit/"),
    Page("project-risks-edit", f"{ORG}/projects/{{project}}/risks/edit/"),
    Page("project-indicators-edit", f"{ORG}/projects/{{project}}/indicators/edit/"),
    Page("project-indicator-value", f"{ORG}/projects/{{project}}/indicators/{{project_indicator}}/values/new/"),
    Page("funder-reports", "/organisations/kymenlaakso/projects/DIGI-1/funder-reports/", user="pmo.kymenlaakso",
         screenshot=True),
    Page("funder-report", "/organisations/kymenlaakso/projects/DIGI-1/funder-reports/{funder_report}/",
         user="pmo.kymenlaakso", screenshot=True),
    # Projects: reading the plan (the demo's sample project is Kymenlaakso's, invented)
    Page("programme-projects", "/programmes/kymenlaakso-2023-2025/projects/", user="pmo.kymenlaakso",
         screenshot=True),
    Page("organisation-projects", "/organisations/kymenlaakso/projects/", user="pmo.kymenlaakso"),
    Page("project", "/organisations/kymenlaakso/projects/DIGI-1/", user="pmo.kymenlaakso", screenshot=True),
    Page("project-budget", "/organisations/kymenlaakso/projects/DIGI-1/budget/", user="pmo.kymenlaakso",
         screenshot=True),
    Page("project-schedule", "/organisations/kymenlaakso/projects/DIGI-1/schedule/", user="pmo.kymenlaakso",
         screenshot=True),
    Page("project-indicators", "/organisations/kymenlaakso/projects/DIGI-1/indicators/", user="pmo.kymenlaakso"),
    Page("programme-indicators", "/programmes/kymenlaakso-2023-2025/indicators/", user="pmo.kymenlaakso"),
    # The demo project's monthly follow-up: its periods, the open month (submitted: the programme office may
    # still correct it and reviews it) and an accepted month as its owner reads it
    Page("project-follow-up", "/organisations/kymenlaakso/projects/DIGI-1/follow-up/", user="pmo.kymenlaakso",
         screenshot=True),
    Page("project-follow-up-month", "/organisations/kymenlaakso/projects/DIGI-1/follow-up/2024-12/",
         user="pmo.kymenlaakso", screenshot=True),
    Page("project-follow-up-accepted", "/organisations/kymenlaakso/projects/DIGI-1/follow-up/2024-11/",
         user="measure-owner.kymenlaakso"),
    Page("project-workbook-import", "/organisations/kymenlaakso/projects/DIGI-1/import/", user="pmo.kymenlaakso"),
    Page("project-workbook-new", f"{ORG}/projects/import/"),
    Page("okr-overview", f"{ORG}/okr/", screenshot=True),
    Page("key-result", f"{ORG}/okr/key-results/{{key_result}}/"),
    Page("okr-import", f"{ORG}/okr/import/"),
    Page("objective-create", f"{ORG}/okr/objectives/new/"),
    Page("objective-edit", f"{ORG}/okr/objectives/{{objective}}/edit/"),
    Page("objective-remove", f"{ORG}/okr/objectives/{{objective}}/remove/"),
    Page("key-result-create", f"{ORG}/okr/objectives/{{objective}}/key-results/new/"),
    Page("key-result-edit", f"{ORG}/okr/key-results/{{key_result}}/edit/"),
    Page("key-result-remove", f"{ORG}/okr/key-results/{{key_result}}/remove/"),
    # The books (the demo's books are Kymenlaakso's, invented; finance imports and maps them)
    Page("books", "/programmes/kymenlaakso-2023-2025/books/", user="finance.kymenlaakso", screenshot=True),
    Page("books-mapping", "/programmes/kymenlaakso-2023-2025/books/mapping/", user="finance.kymenlaakso",
         screenshot=True),
    Page("books-import", "/programmes/kymenlaakso-2023-2025/books/import/", user="finance.kymenlaakso"),
    # The public site's settings: what residents see of Kymenlaakso's programme, and one measure's texts
    Page("public-site-settings", "/programmes/kymenlaakso-2023-2025/public-site/", user="pmo.kymenlaakso",
         screenshot=True),
    Page("public-site-entry", "/programmes/kymenlaakso-2023-2025/public-site/measure/1.1.a/",
         user="pmo.kymenlaakso", screenshot=True),
    # Reports and background work
    Page("reports", f"{P}/reports/", screenshot=True),
    Page("council-reports", f"{P}/reports/council/"),
    Page("jobs", "/jobs/"),
    Page("job-finished", "/jobs/{job_finished}/"),
    Page("job-waiting", "/jobs/{job_waiting}/"),
    Page("workbook-import", f"{P}/workbook/import/"),
    Page("workbook-checked", "/jobs/{workbook_checked}/", screenshot=True),
    Page("workbook-problems", "/jobs/{workbook_problems}/", screenshot=True),
    Page("workbook-new-programme", f"{ORG}/workbook/import/"),
    # The account
    Page("api-tokens", "/accounts/tokens/"),
    Page("no-roles", "/accounts/no-roles/"),
    # The public site for residents, not signed in: every kind of page, each language at its own address
    Page("public-index", "/public/{lang}", user=None),
    Page("public-home", PUBLIC, user=None, screenshot=True, title_end=f"– {PUBLIC_NAME}"),
    Page("public-changes", f"{PUBLIC}changes/", user=None, screenshot=True, title_end=f"– {PUBLIC_NAME}"),
    Page("public-changes-search", f"{PUBLIC}changes/?service=Kotihoito", user=None, title_end=f"– {PUBLIC_NAME}"),
    Page("public-theme", f"{PUBLIC}themes/1/", user=None, screenshot=True, title_end=f"– {PUBLIC_NAME}"),
    Page("public-measure", f"{PUBLIC}measures/1.3.b/", user=None, screenshot=True, title_end=f"– {PUBLIC_NAME}"),
    Page("public-reports", f"{PUBLIC}reports/", user=None, title_end=f"– {PUBLIC_NAME}"),
    Page("public-report", f"{PUBLIC}reports/2/", user=None, screenshot=True, title_end=f"– {PUBLIC_NAME}"),
    Page("public-compare", f"{PUBLIC}reports/compare/?a=1&b=2", user=None, screenshot=True,
         title_end=f"– {PUBLIC_NAME}"),
    Page("public-accessibility", f"{PUBLIC}accessibility/", user=None, title_end=f"– {PUBLIC_NAME}"),
    Page("public-data", f"{PUBLIC}data/", user=None, screenshot=True, title_end=f"– {PUBLIC_NAME}"),
]
