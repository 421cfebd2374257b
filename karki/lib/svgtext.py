"""Text in the charts drawn on the server: its estimated width and its wrapping onto lines.

SVG does not wrap text, so the server breaks long labels into lines (one <tspan> each) and sizes the chart
to them. Widths are estimated from the advance widths of DejaVu Sans, the PDF's font and one of the widest
common sans-serif fonts, so that text drawn in a narrower font (the pages' system-ui) fits as well.
"""

from __future__ import annotations

# Advance widths in em of DejaVu Sans, grouped; any other character counts as WIDE.
_WIDTHS = {
    0.20: "\u202f",
    0.29: "'ijlIJ",
    0.32: " .,\u00a0",
    0.36: ":;/f-",
    0.41: "t()!r",
    0.56: "szc?–L\"",
    0.62: "kFvxyPaoTYåäöeé",
    0.64: "bdghnpquESü0123456789€",
    0.70: "KAVÅÄBRXZC",
    0.79: "UHNDG&OQÖ",
    0.86: "w−+M",
    1.00: "%mW",
}
_WIDTH = {char: width for width, chars in _WIDTHS.items() for char in chars}
WIDE = 0.70
LINE_HEIGHT = 1.25  # of the font size


def text_width(text: str, size: float) -> float:
    """The estimated width of `text` in px at font size `size` px."""
    return sum(_WIDTH.get(char, WIDE) for char in text) * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` px; a word longer than a line is broken
    with a hyphen. Never drops a character: the lines joined with spaces give back the words."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size) > width:  # a compound word wider than the line
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut] + "-", size) > width:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines
