"""Codes (1.2.b, R4, HOITO) are how counties name their rows, in addresses, workbooks and reports. Two codes
that differ only by case or surrounding spaces are the same code to a reader, so Kärki treats them as one:
a new or changed code is refused when another row of the same list already has it in any case."""

from collections import defaultdict
from collections.abc import Iterable


def clean_code(code) -> str:
    """The code as stored: surrounding spaces (also no-break ones) removed, the case kept as written."""
    return str(code or "").strip().strip("\u00a0\u202f").strip()


def code_key(code) -> str:
    """What two codes are compared by: case-insensitively (also for ä, ö and å), without surrounding spaces."""
    return clean_code(code).casefold()


def clashing_code(code, others: Iterable[str]) -> str | None:
    """The stored code among `others` that `code` clashes with, or None."""
    key = code_key(code)
    return next((other for other in others if code_key(other) == key), None)


def clashes(codes: Iterable[str]) -> list[list[str]]:
    """Groups of two or more codes that are one code to a reader, in the order first seen."""
    groups: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        groups[code_key(code)].append(code)
    return [group for group in groups.values() if len(group) > 1]


def code_order(code: str) -> tuple:
    """Sort key that reads codes as counties number them: 1.2 before 1.10, numbers before letters."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.replace("-", ".").split("."))
