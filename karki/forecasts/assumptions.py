"""The forecast's assumptions in one place. The help page (templates/forecasts/help.html) shows these
very numbers, so what the page says and what the model does cannot drift apart.

The chance table is an assumption, not a measurement: an owner's own confidence on the status report
(0–100) replaces it, and so does the confidence of a key result linked to the measure when the owner
gives none.
"""

from __future__ import annotations

from decimal import Decimal

from karki.monitoring.enums import Phase, TrafficLight

# Draws. The Monte Carlo error of a probability p estimated from n draws is √(p(1 − p)/n): at most
# 0,35 percentage points for 20 000 draws, so the 95 % interval (±0,7 pp) is below the whole percent
# the page shows; a percentile's rank moves by at most ±0,4 pp (P10 lies between P9,6 and P10,4). The
# page says the resulting error in euros. 20 000 draws of a 1 000-measure programme take about 0,1 s
# (benchmarks/forecast.py), so the page answers well within a second.
DEFAULT_DRAWS = 20_000
MIN_DRAWS = 1_000
MAX_DRAWS = 100_000
DEFAULT_SEED = 2023  # a fixed seed: the same data gives the same figures on every visit
MAX_SEED = 2**32 - 1

# Chance that a measure delivers its savings, by the phase of its latest status report ...
NO_REPORT = ""
CHANCE_BY_PHASE: dict[str, float] = {
    NO_REPORT: 0.75,
    Phase.PLANNED: 0.70,
    Phase.STARTED: 0.75,
    Phase.IN_PROGRESS: 0.80,
    Phase.IMPLEMENTED: 0.90,
    Phase.BENEFITS_REALISED: 0.95,
    Phase.CANCELLED: 0.0,
}
# ... times a factor for its traffic light.
TRAFFIC_LIGHT_FACTOR: dict[str, float] = {
    TrafficLight.GREEN: 1.0,
    TrafficLight.AMBER: 0.75,
    TrafficLight.RED: 0.4,
}

# Certainties offered for the gap to the target: "with 80 % certainty we save at least …".
CERTAINTIES = (50, 80)
DEFAULT_CERTAINTY = 80

# How many items to name as the largest sources of uncertainty.
TOP_UNCERTAINTY = 5

# What-if: changes per scenario, the longest delay, and the largest estimate (10 000 M€, several times a
# county's yearly budget: anything larger is a typing error, and five of them still fit the euro fields).
WHATIF_ROWS = 5
MAX_DELAY_MONTHS = 60
MAX_WHATIF_EUR = Decimal("10000000000")


def chance_from_status(phase: str | None, status: str | None) -> float:
    """The table's chance for a phase and traffic light (no report: the first row)."""
    if not phase:
        return CHANCE_BY_PHASE[NO_REPORT]
    return CHANCE_BY_PHASE.get(phase, CHANCE_BY_PHASE[NO_REPORT]) * TRAFFIC_LIGHT_FACTOR.get(status or "", 1.0)
