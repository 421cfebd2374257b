"""Kärki in a real browser: keyboard journeys, axe-core scans in Finnish and Swedish, page titles and
screenshots (tests in `tests/`). Nothing here is part of the running application."""
