"""The forecast chart's geometry: bands within the plot, the median inside its band, the target line."""

from decimal import Decimal

from karki.forecasts.charts import HEIGHT, band_chart
from karki.forecasts.forecast import Band


def test_band_chart__geometry_follows_the_figures():
    bands = [Band(2025, Decimal("11600000"), Decimal("13000000"), Decimal("14200000"), Decimal("17500000")),
             Band(2026, Decimal("18300000"), Decimal("20500000"), Decimal("22500000"), Decimal("27600000"))]
    chart = band_chart(bands, Decimal("27600000"), "fi")
    assert [c.label for c in chart.columns] == ["2025", "2026"]
    assert chart.ticks[-1].text == "30,0\u00a0M€"  # a round top just above the largest figure
    for column in chart.columns:
        assert 0 <= column.band_top <= column.median_y <= column.band_top + column.band_height <= HEIGHT
    assert chart.target_y == chart.columns[1].plan_y  # the plan of 2026 is the target
    assert chart.columns[1].band_top < chart.columns[0].band_top  # more savings, higher band
