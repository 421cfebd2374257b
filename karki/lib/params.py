"""Values read from an address's query string, strictly: what a person or a script could have mistyped."""

from __future__ import annotations

import re

# ASCII digits only: int() alone also takes " 5", "+5", "1_000" and other scripts' digits ("٣"), and
# str.isdigit() lets "²" through, which int() then refuses. 18 digits at most: nothing in Kärki is larger.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(raw: str | None) -> int | None:
    """The whole number `raw` is written as, or None when it is anything else (or missing)."""
    return int(raw) if raw and _WHOLE_NUMBER.fullmatch(raw) else None
