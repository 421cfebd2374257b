import pytest

from karki.lib.params import whole_number


@pytest.mark.parametrize("raw, expected", [("5", 5), ("0", 0), ("0042", 42), ("9" * 18, int("9" * 18))])
def test_whole_number__ascii_digits__read(raw, expected):
    assert whole_number(raw) == expected


@pytest.mark.parametrize("raw", [None, "", " 5", "5 ", "+5", "-5", "1_000", "²", "٣", "5\n", "1e3", "1" * 19,
                                 "9" * 5000])
def test_whole_number__anything_else__none(raw):
    assert whole_number(raw) is None
