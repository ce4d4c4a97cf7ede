"""Line breaks a typesetter would make: no hyphen on a paragraph's last full line, none in names or short words, one
break per hyphenated compound, no line starting with a dash, ties kept, ideographs broken between characters."""

from __future__ import annotations

import pytest
from layout.test_text import KHRUSHCHEV, fonts, lay, line_text, rejoined  # noqa: F401 (fonts is a fixture)

from bookpress.fonts.catalog import FontBook
from bookpress.layout.text.lines import Typesetting

WIDTHS = [120.0 + 7.5 * i for i in range(24)]

LONDON = ("The delegates travelled from London and Paris to Amsterdam, Copenhagen and Constantinople, meeting "
          "Khrushchev, Malenkov and Bulganin, then returned through Rotterdam and Manchester again. ") * 2
COMPOUNDS = ("An ill-considered, self-congratulatory and long-established well-intentioned reform, "
             "ill-considered again and again, by semi-professional quasi-governmental committee-members. ") * 2
DASHES = ("They waited for the train – as they always did – and then they walked home — slowly, and "
          "in silence — past the station and the market – the old one – and the river. ") * 2


def _all_widths(text: str, fonts: FontBook, **options):
    for width in WIDTHS:
        yield width, lay(text, fonts, width=width, **options)


def test_no_hyphen_on_a_paragraphs_last_full_line(fonts: FontBook) -> None:
    hyphenated = 0
    for _, lines in _all_widths(KHRUSHCHEV + " " + KHRUSHCHEV, fonts):
        hyphenated += sum(line.hyphenated for line in lines)
        if len(lines) >= 2:
            assert not lines[-2].hyphenated, line_text(lines[-2])
    assert hyphenated > 10  # hyphens are used, only never there


def test_capitalised_words_are_not_divided_unless_the_style_says(fonts: FontBook) -> None:
    divided = 0
    for _, lines in _all_widths(LONDON, fonts):
        for line in lines:
            if line.hyphenated:
                assert not line_text(line).split()[-1][:1].isupper(), line_text(line)
    for _, lines in _all_widths(LONDON, fonts, typesetting=Typesetting(hyphenate_capitals=True)):
        divided += sum(line.hyphenated for line in lines)
    assert divided > 0


def test_short_words_are_never_divided(fonts: FontBook) -> None:
    text = "einem einer eines unter wegen immer schon alles diese jener Paris Tokio Dauer " * 6
    for _, lines in _all_widths(text, fonts, language="de"):
        assert not any(line.hyphenated for line in lines)


def test_a_hyphenated_compound_breaks_only_at_its_own_hyphen(fonts: FontBook) -> None:
    hard = 0
    for _, lines in _all_widths(COMPOUNDS, fonts):
        for line in lines:
            if line.hyphenated:  # a hyphen added, but never inside "ill-considered"
                assert "-" not in line_text(line).split()[-1][:-1], line_text(line)
            else:
                hard += line_text(line).endswith("-")
        assert rejoined(lines).split() == COMPOUNDS.split()
    assert hard > 0  # but the compounds do break after their own hyphens


def test_no_line_starts_with_a_dash(fonts: FontBook) -> None:
    for _, lines in _all_widths(DASHES, fonts):
        for line in lines:
            assert line_text(line)[:1] not in "–—", line_text(line)


def test_tilde_ties_words_and_a_backslash_keeps_it(fonts: FontBook) -> None:
    text = "They visited The~Hague, then 12~km on, then Mr~Smith and \\~ a tilde. " * 8
    for _, lines in _all_widths(text, fonts, align="left"):
        for line in lines:
            words = line_text(line).split()
            assert words[0] not in ("Hague,", "km", "Smith") and words[-1] not in ("The", "12", "Mr")
        assert "~" in "".join(line_text(line) for line in lines)


def test_ideographs_break_between_characters_but_not_before_closing_punctuation(fonts: FontBook) -> None:
    text = "東京と大阪と京都を旅行しました。新宿駅は世界で一番忙しい駅です、と言われています。" * 3
    lines = lay(text, fonts, width=120.0, family="Gentium Book Plus", language="ja")
    assert len(lines) > 3
    assert "".join(line_text(line).replace(" ", "") for line in lines) == text
    for line in lines[1:]:
        assert line_text(line)[0] not in "、。"
    assert all(f.x + f.width <= 120.01 for line in lines for f in line.fragments)


def test_korean_breaks_at_its_spaces(fonts: FontBook) -> None:
    text = "서울역에서 기차를 타고 부산까지 갔습니다. " * 6
    lines = lay(text, fonts, width=140.0, family="Gentium Book Plus", language="ko", align="left")
    words = set(text.split())
    for line in lines:
        assert set(line_text(line).split()) <= words  # no word is cut


@pytest.mark.parametrize("width", [200.0, 300.0])
def test_word_spaces_stay_within_the_bounds(fonts: FontBook, width: float) -> None:
    # A justified space may shrink by a third or stretch; set as the breaker asks, it stays in a sane range.
    for line in lay(KHRUSHCHEV * 2, fonts, width=width)[:-1]:
        fragments = sorted(line.fragments, key=lambda f: f.x)
        for a, b in zip(fragments, fragments[1:]):
            gap = (b.x - a.x - a.width) / 10.5
            assert gap > 0.12 or gap < 0.01, (gap, line_text(line))


def test_a_capital_that_only_begins_a_sentence_does_not_protect_the_word(fonts: FontBook) -> None:
    text = "Internationalization matters. Institutionalization followed, and Constantinople waited. " * 4
    broken = set()
    for _, lines in _all_widths(text, fonts):
        broken |= {line_text(line).split()[-1] for line in lines if line.hyphenated}
    assert any(word.startswith(("Inter", "Insti")) for word in broken)  # sentence-initial: divided
    assert not any(word.startswith("Con") for word in broken)  # a name in mid-sentence: never
