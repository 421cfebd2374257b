"""The colours of every chart, on the pages, in the deck and in the PDF: one palette, one meaning per colour.

The colours are members of the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008), which
stays distinguishable with the common colour-vision deficiencies. Colour is never the only signal: each
role also has its own shape or pattern (planned hatched, realised solid, the median a thick line, the
plan a ring, the target a dashed line), drawn the same way everywhere.

WCAG 2.1 AA against the white page: text needs 4.5:1 (1.4.3) and lines and the edges of marks 3:1
(1.4.11). The light Okabe–Ito members (orange, sky blue, yellow) reach neither, so they only fill areas
that have an outline in a darker member; `contrast()` and the tests check each role for its use.

The pages' CSS cannot import this module: static/css/karki.css repeats the roles as custom properties
(`--chart-planned` …) and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

WHITE = "#FFFFFF"

# The eight Okabe–Ito colours.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)

TEXT, LINE, AREA = "text", "line", "area"
MINIMUM = {TEXT: 4.5, LINE: 3.0}  # an AREA needs none of its own: its outline role carries the contrast


@dataclass(frozen=True)
class Role:
    name: str
    colour: str  # "#RRGGBB"
    use: str  # TEXT, LINE (also the edge of a mark) or AREA
    outline: str | None = None  # the role drawn round an AREA
    purpose: str = ""


ROLES = (
    Role("planned", BLUE, LINE, purpose="planned savings: the hatching and outline of a bar, the plan's ring"),
    Role("realised", BLUISH_GREEN, LINE, purpose="realised savings: a solid bar"),
    Role("band", SKY_BLUE, AREA, outline="band_edge", purpose="the forecast's P10–P90 band, hatched"),
    Role("band_edge", BLUE, LINE, purpose="outline and hatching of the band; P10 and P90 as lines in the deck"),
    Role("median", BLACK, LINE, purpose="the forecast's median P50, a thick line"),
    Role("target", VERMILLION, LINE, purpose="the target, a dashed line"),
    Role("ink", BLACK, TEXT, purpose="labels, values, ticks and the axis"),
    Role("grid", "#D9D9D9", AREA, purpose="grid lines; decoration, the ticks carry the figures"),
    Role("paper", WHITE, AREA, purpose="the background, also between hatching lines"),
)
BY_NAME = {role.name: role for role in ROLES}


def colours() -> dict[str, str]:
    """{"planned": "#0072B2", …}: for templates (`palette.planned`)."""
    return {role.name: role.colour for role in ROLES}


def rgb(name: str) -> tuple[int, int, int]:
    colour = BY_NAME[name].colour
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(first: str, second: str = WHITE) -> float:
    """The WCAG 2.1 contrast ratio of two "#RRGGBB" colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
