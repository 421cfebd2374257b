"""Content looked up in advance (theme names in the comparison and the status picture) keeps the mark
of the language it is shown in."""

from django.template import Context, Template

from karki.core.content import Text


def _render(value) -> str:
    return Template("{% load karki %}{{ value|marked }}").render(Context({"value": value}))


def test_marked__text_in_a_fallback_language__carries_its_lang():
    html = _render(Text("Digitala tjänster", "sv", True))
    assert '<span lang="sv" class="fallback">Digitala tjänster</span>' in html
    assert "(ruotsiksi)" in html


def test_marked__text_in_the_readers_language__plain():
    assert _render(Text("Digipalvelut", "fi", False)) == "Digipalvelut"


def test_marked__plain_string__escaped_as_usual():
    assert _render("<b>") == "&lt;b&gt;"
