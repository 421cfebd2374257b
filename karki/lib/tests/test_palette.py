"""The charts' one palette: colour-blind safe, contrasted for its use, and the same in the pages' CSS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from karki.lib import palette

CSS = Path(settings.BASE_DIR) / "static" / "css" / "karki.css"


def css_chart_colours() -> dict[str, str]:
    """{"planned": "#0072B2", …} from the --chart-* custom properties of the pages' stylesheet."""
    found = re.findall(r"--chart-([a-z-]+):\s*(#[0-9A-Fa-f]{6})\s*;", CSS.read_text(encoding="utf-8"))
    return {name.replace("-", "_"): colour.upper() for name, colour in found}


def test_contrast__known_ratios():
    assert palette.contrast("#000000") == pytest.approx(21)
    assert palette.contrast("#FFFFFF") == pytest.approx(1)
    assert palette.contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
    assert palette.contrast(palette.BLUE) == palette.contrast(palette.WHITE, palette.BLUE)


def test_palette__series_colours_are_okabe_ito():
    neutral = {"grid", "paper"}
    for role in palette.ROLES:
        if role.name not in neutral:
            assert role.colour in palette.OKABE_ITO, role.name


@pytest.mark.parametrize("role", palette.ROLES, ids=lambda role: role.name)
def test_palette__each_role_meets_wcag_aa_against_white_for_its_use(role):
    if role.use == palette.TEXT:
        assert palette.contrast(role.colour) >= 4.5
    elif role.use == palette.LINE:
        assert palette.contrast(role.colour) >= 3.0
    elif role.outline:  # a light area is drawn with an outline that has the contrast
        assert palette.contrast(palette.BY_NAME[role.outline].colour) >= 3.0


def test_palette__planned_and_realised_differ_in_colour_as_well_as_pattern():
    colours = palette.colours()
    assert colours["planned"] != colours["realised"]
    assert len({colours["median"], colours["target"], colours["band"]}) == 3


def test_css__chart_custom_properties_equal_the_palette():
    assert css_chart_colours() == {name: colour.upper() for name, colour in palette.colours().items()}
