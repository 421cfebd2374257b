"""Reading a key result's own text: what it measures, in what unit, towards what, by when.

County OKR tables write the target into the key result's sentence ("Hoitopäivän hinta alle 185 e/vrk
vuoden 2025 loppuun mennessä (nykytaso 192 e/vrk)"). `read_key_result` picks out, in Finnish, Swedish or
English phrasing:
- the metric (the words before the first figure or direction word) and whether it counts things;
- the unit (%, €, €/vrk, days, …);
- the target, a value or a band ("90–100 %"): for a band the edge that must be reached is the target
  (the lower edge when up is better, the upper when down is better), the band is kept as written;
- the direction: words such as alle, enintään, vähentää, laskee, under, högst, minska, at most,
  reduce mean that lower is better; without such a word up is assumed (and said so);
- the baseline ("nykytaso 9 %", "lähtötaso", "nuläge", "baseline") or its year ("vuoden 2022 tasosta");
- the deadline ("vuoden 2025 loppuun mennessä" → 31.12.2025, "Q1/2025" → 31.3.2025, "31.12.2025",
  "tilikauden aikana" → the end of the year of the import).

It is a reader, not a parser of a grammar: it reads what a programme office usually writes and says
what it read, so that the person can correct it in the preview. The original text is never changed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

UP, DOWN = "up", "down"

_NUM = r"[-+\u2212]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|[-+\u2212]?\d+(?:[.,]\d+)?"
_DASH = r"\s*(?:–|—|-|\.\.\.|…)\s*"
# Units as written after a figure; the longest first. "e" alone is the euro of hurried tables.
_UNITS = [
    ("%-yks", "%-yks."), ("%-yksikkö", "%-yks."), ("prosenttiyksikkö", "%-yks."), ("procentenhet", "%-enh."),
    ("percentage point", "pp"), ("prosenttia", "%"), ("procent", "%"), ("percent", "%"), ("%", "%"),
    ("e/vrk", "€/vrk"), ("€/vrk", "€/vrk"), ("€/dygn", "€/dygn"), ("e/dygn", "€/dygn"), ("€/day", "€/day"),
    ("euroa", "€"), ("euro", "€"), ("eur", "€"), ("€", "€"), ("m€", "M€"), ("me", "M€"), ("milj. €", "M€"),
    ("kr", "kr"), ("päivää", "pv"), ("vuorokautta", "vrk"), ("vrk", "vrk"), ("pv", "pv"), ("dagar", "dagar"),
    ("dygn", "dygn"), ("days", "days"), ("viikkoa", "vk"), ("veckor", "veckor"), ("weeks", "weeks"),
    ("tuntia", "h"), ("timmar", "h"), ("hours", "h"), ("h", "h"), ("min", "min"), ("kpl", "kpl"), ("st", "st"),
    ("henkilöä", "hlö"), ("personer", "personer"), ("people", "people"), ("htv", "htv"), ("årsverken", "åv"),
]
_UNIT_RE = "|".join(re.escape(unit) for unit, _label in sorted(_UNITS, key=lambda u: -len(u[0])))
_UNIT_LABEL = {unit.lower(): label for unit, label in _UNITS}
# A figure with its unit; the unit may carry a Finnish case ending ("35 %:iin", "9 %:sta").
_FIGURE = re.compile(rf"(?P<num>{_NUM})(?:\s*(?P<unit>{_UNIT_RE})(?=$|[\s:.,;)/]|\b))?(?::?[a-zåäö]*)?",
                     re.IGNORECASE)
_BAND = re.compile(rf"(?P<low>{_NUM}){_DASH}(?P<high>{_NUM})(?:\s*(?P<unit>{_UNIT_RE})(?=$|[\s:.,;)/]|\b))?",
                   re.IGNORECASE)

DOWN_WORDS = {
    "fi": ["alle", "enintään", "korkeintaan", "vähentää", "vähennetään", "vähenee", "vähentyy", "laskee",
           "lasketaan", "laskea", "alenee", "alennetaan", "pienenee", "pienennetään", "lyhenee", "lyhennetään",
           "alittaa", "supistuu", "supistetaan", "puolittuu", "puolitetaan", "vähemmän", "laskevat", "vähenevät",
           "lyhenevät", "pienenevät", "alenevat", "supistuvat"],
    "sv": ["under", "högst", "minska", "minskar", "minskas", "sänka", "sänks", "sjunker", "sjunka", "lägre",
           "kortare", "färre", "halveras", "mindre än", "max"],
    "en": ["at most", "reduce", "reduced", "reduces", "decrease", "decreases", "below", "under", "lower", "fewer",
           "less than", "no more than", "cut", "shorten", "shortened", "halve", "halved"],
}
UP_WORDS = {
    "fi": ["vähintään", "yli", "nousee", "nostetaan", "nostaa", "kasvaa", "kasvatetaan", "lisääntyy", "lisätään",
           "paranee", "parannetaan", "vahvistuu", "ylittää", "kohoaa", "nousevat", "kasvavat", "lisääntyvät",
           "paranevat"],
    "sv": ["minst", "öka", "ökar", "ökas", "över", "höja", "höjs", "stiger", "fler", "förbättras"],
    "en": ["at least", "increase", "increases", "raise", "raised", "grow", "grows", "over", "above", "more than",
           "improve", "improves"],
}
COUNT_WORDS = ["lukumäärä", "määrä", "kpl", "antal", "antalet", "number of", "count of", "st."]
_SYMBOL_DOWN = re.compile(r"[<≤]")
_SYMBOL_UP = re.compile(r"[>≥]")

_BASELINE = re.compile(
    rf"(?:nykytaso|nykyinen taso|lähtötaso|lähtötilanne|vertailutaso|nuläge|nivå idag|utgångsläge|utgångsnivå|"
    rf"baseline|current level|currently|nyt)\s*(?:on|är|is|:|=)?\s*(?:n\.\s*|noin\s*|ca\s*|c\.\s*|about\s*)?"
    rf"(?P<num>{_NUM})\s*(?P<unit>{_UNIT_RE})?", re.IGNORECASE)
_FROM_TO = re.compile(  # "35 %:sta 45 %:iin", "från 35 % till 45 %", "from 35 % to 45 %"
    rf"(?:från|from)?\s*(?P<a>{_NUM})\s*(?P<ua>{_UNIT_RE})?:?(?:sta|stä|lta|ltä|ista)?\s+"
    rf"(?:till|to|->|→)?\s*(?P<b>{_NUM})\s*(?P<ub>{_UNIT_RE})?:?(?:iin|in|un|än|an|een|lle|seen)\b",
    re.IGNORECASE)
_FROM_TO_WORDS = re.compile(rf"(?:från|from)\s+(?P<a>{_NUM})\s*(?P<ua>{_UNIT_RE})?\s+(?:till|to)\s+"
                            rf"(?P<b>{_NUM})\s*(?P<ub>{_UNIT_RE})?", re.IGNORECASE)
_BASELINE_YEAR = re.compile(
    r"(?:vuoden\s+)?(?P<year>(?:19|20)\d\d)\s*(?:vuoden\s+)?(?:tasosta|tasolta|tasoon nähden|verrattuna)|"
    r"(?:från|jämfört med)\s+(?P<year2>(?:19|20)\d\d)\s*(?:års\s+nivå|års)?|"
    r"(?:from|compared with|compared to)\s+(?:the\s+)?(?P<year3>(?:19|20)\d\d)(?:\s+level)?", re.IGNORECASE)
_QUARTER = re.compile(r"\b(?:Q(?P<q>[1-4])|(?P<q2>[1-4])\s*Q|(?P<q3>[1-4])\.\s*(?:neljännes|kvartal)\w*)"
                      r"\s*[/\-\s]\s*(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_HALF = re.compile(r"\b(?:H|(?:\d\.\s*)?puolivuo\w*\s*)(?P<h>[12])\s*[/\-\s]\s*(?P<year>(?:19|20)\d\d)\b",
                   re.IGNORECASE)
_DATE = re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b")
_END_OF_YEAR = re.compile(
    r"(?:vuoden\s+(?P<y1>(?:19|20)\d\d)\s+(?:loppuun|lopussa|aikana|mennessä)|"
    r"(?P<y2>(?:19|20)\d\d)\s+(?:loppuun|lopussa|aikana|mennessä)|"
    r"vuonna\s+(?P<y3>(?:19|20)\d\d)|"
    r"(?:senast|till|före|under|i slutet av|innan utgången av|år)\s+(?:år\s+)?(?P<y4>(?:19|20)\d\d)|"
    r"(?:by|in|during|before|until|by the end of|at the end of)\s+(?:the\s+end\s+of\s+)?(?P<y5>(?:19|20)\d\d))",
    re.IGNORECASE)
_SCALE = re.compile(rf"\(?\s*(?:asteiko(?:lla|ssa)?|asteikko|skala|skalan|on a scale of|scale)\s*(?:{_NUM}){_DASH}"
                    rf"(?:{_NUM})\s*\)?", re.IGNORECASE)
_IN_WORD = re.compile(r"\b[A-Za-zÅÄÖåäö]+\d+\b|\b\d+-(?=[A-Za-zÅÄÖåäö])")
_FISCAL_YEAR = re.compile(r"tilikaude(?:n|lla)|räkenskapsåret|financial year|fiscal year|kuluvan vuoden|"
                          r"tämän vuoden|this year|i år|innevarande år", re.IGNORECASE)


@dataclass
class Reading:
    metric: str = ""
    unit: str = ""
    target: Decimal | None = None  # the edge to reach
    target_low: Decimal | None = None  # a band as written (90–100 %)
    target_high: Decimal | None = None
    direction: str = ""  # UP, DOWN, or "" when the text says neither (up is then assumed)
    baseline: Decimal | None = None
    baseline_year: int | None = None
    deadline: date | None = None
    counts: bool = False  # the key result counts things (määrä, antal, number of)
    found: list[str] = field(default_factory=list)  # the phrases read, as written

    @property
    def effective_direction(self) -> str:
        return self.direction or UP

    @property
    def has_band(self) -> bool:
        return self.target_low is not None and self.target_high is not None

    def to_data(self) -> dict:
        data = asdict(self)
        for key in ("target", "target_low", "target_high", "baseline"):
            data[key] = str(data[key]) if data[key] is not None else None
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        return data

    @classmethod
    def from_data(cls, data: dict) -> Reading:
        data = dict(data)
        for key in ("target", "target_low", "target_high", "baseline"):
            data[key] = Decimal(data[key]) if data.get(key) not in (None, "") else None
        data["deadline"] = date.fromisoformat(data["deadline"]) if data.get("deadline") else None
        return cls(**data)


def to_decimal(text: str) -> Decimal | None:
    cleaned = (text.replace("\u2212", "-").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
               .replace(",", "."))
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _unit(text: str | None) -> str:
    return _UNIT_LABEL.get((text or "").lower(), "") if text else ""


def _end_of(year: int, month: int = 12) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_WORD_PATTERNS: dict[tuple[str, ...], re.Pattern] = {}


def _word_pattern(words: list[str]) -> re.Pattern:
    key = tuple(words)
    if key not in _WORD_PATTERNS:
        alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
        _WORD_PATTERNS[key] = re.compile(rf"(?<![\wåäö])(?:{alternatives})(?![\wåäö])", re.IGNORECASE)
    return _WORD_PATTERNS[key]


def _find_word(text: str, words: list[str]) -> re.Match | None:
    """The first of `words` in the text, as a whole word (one compiled pattern per list)."""
    return _word_pattern(words).search(text)


def _has_word(text: str, words: list[str]) -> str:
    found = _find_word(text, words)
    return found.group(0) if found else ""


def _blank(text: str, match: re.Match) -> str:
    """Blank out what was read, keeping the positions, so that its figures are not read twice."""
    return text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]


def read_key_result(text: str, *, year: int | None = None) -> Reading:
    """Read a key result's text. `year` is the year "tilikauden aikana" means (the import's year)."""
    reading = Reading()
    source = " ".join((text or "").split())
    work = source.replace("\u2212", "-")

    # Dates first: their figures are not targets.
    deadline = None
    for pattern, kind in ((_DATE, "date"), (_QUARTER, "quarter"), (_HALF, "half"), (_END_OF_YEAR, "year")):
        for match in pattern.finditer(work):
            if kind == "date":
                try:
                    found = date(int(match["year"]), int(match["m"]), int(match["d"]))
                except ValueError:
                    continue
            elif kind == "quarter":
                quarter = int(match["q"] or match["q2"] or match["q3"])
                found = _end_of(int(match["year"]), quarter * 3)
            elif kind == "half":
                found = _end_of(int(match["year"]), int(match["h"]) * 6)
            else:
                found = _end_of(int(next(g for g in (match["y1"], match["y2"], match["y3"], match["y4"],
                                                     match["y5"]) if g)))
            if deadline is None:
                deadline = found
                reading.found.append(match.group(0).strip())
            work = _blank(work, match)
    # After the dates (Q1/2025 is a date), figures that are not the target: a scale ("asteikko 1–5")
    # and a figure inside a word ("75-vuotiaista", "T3-luku").
    for pattern in (_SCALE, _IN_WORD):
        for match in pattern.finditer(work):
            work = _blank(work, match)
    baseline_year = _BASELINE_YEAR.search(work)
    if baseline_year:
        reading.baseline_year = int(baseline_year["year"] or baseline_year["year2"] or baseline_year["year3"])
        reading.found.append(baseline_year.group(0).strip())
        work = _blank(work, baseline_year)
    if deadline is None:
        fiscal = _FISCAL_YEAR.search(work)
        if fiscal and year:
            deadline = _end_of(year)
            reading.found.append(fiscal.group(0).strip())
    reading.deadline = deadline
    # Any other year left (2025 alone) is not a target either.
    work = re.sub(r"\b(?:19|20)\d\d\b(?![.,]\d| ?%)", lambda m: " " * len(m.group(0)), work)

    # Baseline: "nykytaso 9 %", or the start of "35 %:sta 45 %:iin".
    match = _BASELINE.search(work)
    if match:
        reading.baseline = to_decimal(match["num"])
        reading.unit = reading.unit or _unit(match["unit"])
        reading.found.append(match.group(0).strip())
        work = _blank(work, match)
    match = _FROM_TO_WORDS.search(work) or _FROM_TO.search(work)
    if match:
        if reading.baseline is None:
            reading.baseline = to_decimal(match["a"])
        reading.target = to_decimal(match["b"])
        reading.unit = reading.unit or _unit(match["ub"] or match["ua"])
        start = to_decimal(match["a"])
        if start is not None and reading.target is not None and start != reading.target:
            reading.direction = UP if reading.target > start else DOWN
        reading.found.append(match.group(0).strip())
        work = _blank(work, match)

    # Direction.
    language_words = [(DOWN, words) for words in DOWN_WORDS.values()] + [(UP, words) for words in UP_WORDS.values()]
    direction_word = ""
    first_word_at = len(work)
    for direction, words in language_words if not reading.direction else []:
        found = _find_word(work, words)
        if found and found.start() < first_word_at:
            first_word_at, direction_word, reading.direction = found.start(), found.group(0), direction
    if not reading.direction:
        if _SYMBOL_DOWN.search(work):
            reading.direction = DOWN
            direction_word = _SYMBOL_DOWN.search(work).group(0)
            first_word_at = _SYMBOL_DOWN.search(work).start()
        elif _SYMBOL_UP.search(work):
            reading.direction = UP
            direction_word = _SYMBOL_UP.search(work).group(0)
            first_word_at = _SYMBOL_UP.search(work).start()
    if direction_word:
        reading.found.append(direction_word)

    # Target: a band, else the first figure (after the direction word when there is one).
    if reading.target is None:
        band = _BAND.search(work)
        if band and to_decimal(band["low"]) is not None and to_decimal(band["high"]) is not None:
            low, high = sorted((abs(to_decimal(band["low"])), abs(to_decimal(band["high"]))))
            reading.target_low, reading.target_high = low, high
            reading.target = high if reading.effective_direction == DOWN else low
            reading.unit = reading.unit or _unit(band["unit"])
            reading.found.append(band.group(0).strip())
            work = _blank(work, band)
        else:
            figures = [m for m in _FIGURE.finditer(work) if to_decimal(m["num"]) is not None]
            after = [m for m in figures if m.start() >= first_word_at] if direction_word else []
            chosen = (after or figures or [None])[0]
            if chosen is not None:
                reading.target = to_decimal(chosen["num"])
                reading.unit = reading.unit or _unit(chosen["unit"])
                reading.found.append(chosen.group(0).strip())
    if not reading.unit:
        tail = re.search(r"(?<![\wåäö])(?P<unit>€/vrk|e/vrk|€/dygn|%)", work)
        reading.unit = _unit(tail["unit"]) if tail else ""

    reading.counts = bool(_has_word(source, COUNT_WORDS)) and reading.unit not in ("%", "€", "M€")
    # Metric: the words before the first figure, direction word or bracket.
    cut = len(source)
    plain = source
    for pattern in (_SCALE, _IN_WORD):  # figures inside words ("75-vuotiaista") belong to the metric
        for match in pattern.finditer(plain):
            plain = _blank(plain, match)
    for pattern, where in ((re.compile(_NUM), plain), (re.compile(r"[(<>≤≥]"), source)):
        found = pattern.search(where)
        if found:
            cut = min(cut, found.start())
    start = 0
    if direction_word and first_word_at < cut:
        if source[:first_word_at].strip():
            cut = first_word_at
        else:  # "Vähentää ostopalvelujen kustannuksia 4–8 %": the metric follows the verb
            start = first_word_at + len(direction_word)
    metric = source[start:cut].strip(" -–:,;")
    metric = re.sub(r"(?:\s+(?:från|from|to|till|med|by|noin|n\.|ca|about|on|är|is))+$", "", metric,
                    flags=re.IGNORECASE)
    reading.metric = (metric or source)[:200]
    return reading
