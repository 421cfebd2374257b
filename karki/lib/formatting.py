"""Numbers, money and dates the way Finnish, Swedish and English readers expect them.

fi: 1 234,5 M€ · 5.10.2023     sv: 1 234,5 mn € · 5.10.2023     en: €1,234.5M · 5 Oct 2023

Kept free of Django so it can be tested and reused by exports; callers pass the language.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: the thousands separator of fi and sv
MINUS = "\u2212"
EN_DASH = "\u2013"
MILLION = Decimal("1000000")

_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _lang(language: str | None) -> str:
    code = (language or "fi")[:2].lower()
    return code if code in ("fi", "sv", "en") else "fi"


def format_number(value: Decimal | int | None, language: str | None = "fi", places: int = 0) -> str:
    """1 234,5 (fi, sv) or 1,234.5 (en); a true minus sign for negatives."""
    if value is None:
        return ""
    lang = _lang(language)
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    negative = number < 0
    text = f"{abs(number):,.{places}f}"  # 1,234.5
    if lang in ("fi", "sv"):
        text = text.replace(",", NNBSP).replace(".", ",")
    if negative and number != 0:
        text = MINUS + text
    return text


def _million_places(value: Decimal) -> int:
    """One decimal as the counties write (27,6 M€); two when one would show a non-zero as 0."""
    millions = abs(value) / MILLION
    if millions != 0 and millions < Decimal("0.05"):
        return 2
    return 1


def format_meur(value: Decimal | None, language: str | None = "fi", places: int | None = None) -> str:
    """27,6 M€ (fi), 27,6 mn € (sv), €27.6M (en)."""
    if value is None:
        return ""
    value = Decimal(value)
    digits = _million_places(value) if places is None else places
    number = format_number(value / MILLION, language, digits)
    lang = _lang(language)
    if lang == "fi":
        return f"{number}{NBSP}M€"
    if lang == "sv":
        return f"{number}{NBSP}mn{NBSP}€"
    if number.startswith(MINUS):
        return f"{MINUS}€{number[1:]}M"
    return f"€{number}M"


def format_meur_range(low: Decimal, high: Decimal, language: str | None = "fi") -> str:
    """0–1,5 M€: one unit after both ends. A range with a negative end gets spaces around its dash
    (−89,0 – −28,0 M€), so that the dash and the minus signs do not run together."""
    dash = f" {EN_DASH} " if Decimal(low) < 0 or Decimal(high) < 0 else EN_DASH
    places = max(_million_places(Decimal(low)), _million_places(Decimal(high)))
    low_text = "0" if Decimal(low) == 0 else format_number(Decimal(low) / MILLION, language, places)
    high_text = format_meur(Decimal(high), language, places)
    if _lang(language) == "en":
        low_text = f"{MINUS}€{low_text[1:]}" if low_text.startswith(MINUS) else f"€{low_text}"
        high_text = high_text if high_text.startswith(MINUS) else high_text.lstrip("€")
        return f"{low_text}{dash}{high_text}"
    return f"{low_text}{dash}{high_text}"


def format_eur(value: Decimal | None, language: str | None = "fi") -> str:
    """1 234 567 € (fi, sv) or €1,234,567 (en), whole euros."""
    if value is None:
        return ""
    number = format_number(Decimal(value), language, 0)
    if _lang(language) == "en":
        return f"{MINUS}€{number[1:]}" if number.startswith(MINUS) else f"€{number}"
    return f"{number}{NBSP}€"


def format_percent(value: Decimal | None, language: str | None = "fi", places: int = 0) -> str:
    if value is None:
        return ""
    number = format_number(Decimal(value), language, places)
    return f"{number}{NBSP}%" if _lang(language) in ("fi", "sv") else f"{number}%"


def format_probability(value: float | None, language: str | None = "fi") -> str:
    """A probability from draws (0…1) as 62 % (fi, sv) or 62% (en). Never a flat 0 % or 100 %: the draws
    only say it is below 0,1 % or above 99,9 %, and a smaller probability than a whole percent shows its
    first decimal."""
    if value is None or value == "":
        return "–"
    p = float(value) * 100
    if p < 0.1:
        return f"< {format_percent(Decimal('0.1'), language, 1)}"
    if p > 99.9:
        return f"> {format_percent(Decimal('99.9'), language, 1)}"
    if p < 1 or p > 99:
        return format_percent(Decimal(f"{p:.1f}"), language, 1)
    return format_percent(Decimal(f"{p:.0f}"), language)


def format_date(value: date | None, language: str | None = "fi") -> str:
    """5.10.2023 in Finnish and Finland-Swedish; 5 Oct 2023 in English."""
    if value is None:
        return ""
    if _lang(language) == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


def format_datetime(value: datetime | None, language: str | None = "fi") -> str:
    """5.10.2023 klo 14.05 (fi), 5.10.2023 kl. 14.05 (sv), 5 Oct 2023 14:05 (en). Give local time."""
    if value is None:
        return ""
    day = format_date(value.date(), language)
    lang = _lang(language)
    if lang == "en":
        return f"{day} {value.hour:02d}:{value.minute:02d}"
    word = "klo" if lang == "fi" else "kl."
    return f"{day} {word} {value.hour}.{value.minute:02d}"


class MoneyParseError(ValueError):
    pass


_MILLION_SUFFIX = re.compile(r"\s*(m€|meur|m\s*€|mn\s*€|mn|milj\.?\s*€?|milj\.?\s*euroa|m)\s*$", re.I)
_EURO_SUFFIX = re.compile(r"\s*(€|eur|euroa|euro)\s*$", re.I)


def parse_money(text: str | int | Decimal | None) -> Decimal | None:
    """Euros from what a Finnish user types: "1,4 M€", "1 400 000", "1400000 €", "−28 M€".

    A million suffix (M€, mn €, milj. €) multiplies by a million; otherwise the number is euros.
    Both comma and point work as the decimal mark; spaces and no-break spaces group thousands.
    Empty input gives None.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    raw = str(text).strip()
    if not raw:
        return None
    raw = raw.replace(MINUS, "-").replace(EN_DASH, "-").replace(NBSP, " ").replace(NNBSP, " ")
    multiplier = Decimal(1)
    match = _MILLION_SUFFIX.search(raw)
    if match:
        multiplier = MILLION
        raw = raw[: match.start()]
    else:
        match = _EURO_SUFFIX.search(raw)
        if match:
            raw = raw[: match.start()]
    raw = raw.replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    elif raw.count(",") >= 1 and raw.count(".") == 1 and raw.rfind(",") < raw.rfind("."):
        raw = raw.replace(",", "")  # 1,234.5 (English)
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", raw):
        raise MoneyParseError(text)
    try:
        return Decimal(raw) * multiplier
    except InvalidOperation as exc:  # pragma: no cover - the regex guards this
        raise MoneyParseError(text) from exc


_PLAIN_AMOUNT = re.compile(r"[+-]?\d+(?:[.,]\d{1,2})?")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:X\d{3})+")
CENT = Decimal("0.01")


def parse_amount(value: str | int | float | Decimal | None) -> Decimal:
    """Euros and cents of a row exported by a financial system, strictly: "1 234,56", "-1 234,56",
    "1234.56", "1.234,56", "1,234.56", "1 234,56-" (a trailing minus), "(1 234,56)", or a number cell of a
    spreadsheet. No million suffixes (a ledger row is never in M€), at most two decimals; anything else
    raises `MoneyParseError` rather than being read some way. Made for 200 000 rows: the common forms take
    one regular expression."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        raise MoneyParseError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # a spreadsheet's number cell: binary, so rounded to the cent it shows
        if value != value or value in (float("inf"), float("-inf")):
            raise MoneyParseError(value)
        return Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    raw = str(value).strip()
    if _PLAIN_AMOUNT.fullmatch(raw):
        return Decimal(raw.replace(",", "."))
    text = raw
    for space in (" ", NBSP, NNBSP, "\u2009", "'"):
        text = text.replace(space, "")
    text = text.replace(MINUS, "-").replace(EN_DASH, "-")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-"):
        negative, text = not negative, text[:-1]
    if text[:1] in ("-", "+"):
        if negative and text[0] == "-":
            raise MoneyParseError(value)  # two minus signs
        negative, text = negative or text[0] == "-", text[1:]
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        whole, _mark, fraction = text.rpartition(decimal)
        if not _THOUSANDS.fullmatch(whole.replace(grouping, "X")):
            raise MoneyParseError(value)
        text = whole.replace(grouping, "") + "." + fraction
    elif text.count(",") > 1 or text.count(".") > 1:
        mark = "," if "," in text else "."
        if not _THOUSANDS.fullmatch(text.replace(mark, "X")):
            raise MoneyParseError(value)
        text = text.replace(mark, "")
    else:
        text = text.replace(",", ".")
    if not _DIGITS.fullmatch(text) or len(text.partition(".")[2]) > 2:
        raise MoneyParseError(value)
    amount = Decimal(text)
    return -amount if negative else amount


# Between the two ends of a range: an ellipsis ("−28…−89 M€", "12...16"), or a dash that follows a
# figure (a digit or a unit) and comes before one: "0,5–1,5 M€", "12 M€ – 16 M€", "−28 – −89". A dash
# at the start is the sign of the first figure, not a separator.
_RANGE_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.?)\s*")
_RANGE_DASH = re.compile(r"(?<=[\d€])\s*[\-\u2013\u2014]\s*(?=[+\-\u2212\u2013]?\s*\d)")


def parse_money_range(text: str | None) -> tuple[Decimal, Decimal] | None:
    """The two ends of a range of euros, in the order written: "−28…−89 M€" → (−28 000 000, −89 000 000).

    A million suffix after the second figure applies to the first too ("12–16 M€"). Text that is
    not a range gives None; a range whose ends are not sums of money raises `MoneyParseError`.
    """
    if text is None:
        return None
    raw = str(text).replace(NBSP, " ").replace(NNBSP, " ").strip()
    parts = _RANGE_ELLIPSIS.split(raw, maxsplit=1)
    if len(parts) != 2:
        match = _RANGE_DASH.search(raw)
        if match is None:
            return None
        parts = [raw[: match.start()], raw[match.end():]]
    first, second = (part.strip() for part in parts)
    if not first or not second:
        raise MoneyParseError(text)
    low, high = parse_money(first), parse_money(second)
    if low is None or high is None:  # pragma: no cover - both parts are non-empty
        raise MoneyParseError(text)
    if _MILLION_SUFFIX.search(second.replace(MINUS, "-")) and not _MILLION_SUFFIX.search(first) \
            and not _EURO_SUFFIX.search(first):
        low *= MILLION
    return low, high
