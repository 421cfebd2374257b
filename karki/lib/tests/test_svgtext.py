"""Labels of the server-drawn charts wrap onto lines that fit, without losing a character."""

from karki.lib.svgtext import text_width, wrap

LONG = ("Palveluverkon uudistaminen ja kiinteistöjen käytön tehostaminen koko hyvinvointialueella "
        "vuoteen 2026")


def test_wrap__every_word_kept_and_every_line_fits():
    lines = wrap(LONG, 200, 14)
    assert len(lines) > 1
    assert " ".join(lines) == LONG
    assert all(text_width(line, 14) <= 200 for line in lines)


def test_wrap__short_text_stays_on_one_line():
    assert wrap("2024", 300, 14) == ["2024"]
    assert wrap("", 300, 14) == [""]


def test_wrap__a_word_longer_than_the_line_is_broken_with_a_hyphen():
    lines = wrap("Sosiaalihuoltolainsäädäntöuudistustyöryhmä", 120, 14)
    assert len(lines) > 1 and all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.removesuffix("-") for line in lines) == "Sosiaalihuoltolainsäädäntöuudistustyöryhmä"
    assert all(text_width(line, 14) <= 120 for line in lines)


def test_text_width__wide_letters_count_more_than_narrow_ones():
    assert text_width("MMMM", 10) > text_width("iiii", 10)
    assert text_width("abc", 20) == 2 * text_width("abc", 10)
