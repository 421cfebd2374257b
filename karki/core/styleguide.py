"""The live examples of the style guide (/styleguide/): real components fed with small invented figures,
so that what the page shows is what Kärki's pages are made of."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from karki.forecasts.charts import band_charts
from karki.monitoring.charts import bar_charts
from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS, Phase, TrafficLight
from karki.programmes.models import Programme

M = Decimal(1_000_000)


class ExampleForm(forms.Form):
    """A form as every Kärki form is drawn (templates/includes/field.html), one field with an error."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("As it reads in the council report."))
    amount = forms.DecimalField(label=_("Expected savings (€)"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), choices=[(p.value, p.label) for p in (Phase.PLANNED, Phase.STARTED)])


@dataclass
class _Band:
    year: int
    p10_eur: Decimal
    p50_eur: Decimal
    p90_eur: Decimal
    planned_eur: Decimal | None


def examples(request) -> dict:
    language = get_language()
    invalid = ExampleForm(data={"example-name": "", "example-amount": "12500", "example-phase": "planned"},
                          prefix="example")
    invalid.is_valid()
    rows = [
        (str(_("Purchased services")), [Decimal("6.2") * M, Decimal("4.1") * M]),
        (str(_("Personnel costs")), [Decimal("3.4") * M, Decimal("3.9") * M]),
        (str(_("Rents")), [Decimal("1.1") * M, Decimal("0.4") * M]),
    ]
    bands = [_Band(2024, 2 * M, Decimal("3.5") * M, 5 * M, 4 * M), _Band(2025, 4 * M, 7 * M, 10 * M, 8 * M),
             _Band(2026, 6 * M, 10 * M, 14 * M, 12 * M)]
    return {
        "nav": "styleguide",
        "programme": Programme.objects.order_by("pk").first(),
        "statuses": [(light.value, light.label, TRAFFIC_LIGHT_ICONS[light]) for light in TrafficLight],
        "form": invalid,
        "bar_chart": bar_charts(rows, language, marker=(str(_("Target")), 9 * M)),
        "band_chart": band_charts(bands, 11 * M, language),
        "rows": rows,
    }
