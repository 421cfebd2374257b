"""Project pages, one module per kind of work: reading the plan (pages), keeping it (editing), the monthly
follow-up (followup), the funder's report (funder), the project workbook (workbook)."""
