"""The book's own words in its language: contents, chapter label, credits, colophon, copyright lines, dates."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from conftest import assert_rejected, lay_out, run_compile

from bookpress.load.words import FIELDS, TABLE, table_key, unknown_fields, words_for
from bookpress.model import Words

LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt", "cs", "hu", "pl", "sv", "da", "nb", "fi", "ru", "uk", "el", "tr",
             "ja", "ko", "zh"]


def texts(book, kind: str | None = None) -> str:
    return "\n".join(item.text for page in book.pages if kind is None or page.kind == kind
                     for item in page.items if hasattr(item, "fragments"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_string_with_its_fields(language: str) -> None:
    strings = TABLE[table_key(language)]
    assert set(strings) == {f.name for f in fields(Words)} - {"language"}
    for key, text in strings.items():
        assert text.strip() and unknown_fields(key, text) == [], (language, key)
        for name in FIELDS[key]:
            assert "{" + name + "}" in text, (language, key, name)
    if language != "en":
        assert strings["contents"] != "Contents" and strings["photo_credits"] != "Photo credits"


def test_a_regional_code_takes_its_language() -> None:
    assert words_for("de-AT").contents == "Inhalt"
    assert words_for("pt_BR").chapter == "Capítulo {number}"
    assert words_for("zh-Hant").contents == "目錄" and words_for("zh-TW").contents == "目錄"
    assert words_for("xx").contents == "Contents"  # a language the table lacks: English


def test_a_german_books_furniture_is_german(make_book) -> None:
    root = make_book(book_extra="language: de\npublisher: Verlag am See\nyear: 2026\ndate: 2026-03-15\n")
    book = lay_out(root)
    everything = texts(book)
    for german in ("Inhalt", "KAPITEL 1", "Bildnachweis", "A. Photographer", "Kolophon", "Alle Rechte vorbehalten.",
                   "Erschienen bei Verlag am See", "Erstausgabe 15. März 2026", "Gesetzt mit bookpress"):
        assert german in everything, german
    for english in ("Contents", "CHAPTER", "Photo credits", "Photo:", "Colophon", "Published by", "Typeset with",
                    "All rights reserved"):
        assert english not in everything, english
    assert [e.title for e in book.outline if e.level == 0][-2:] == ["Bildnachweis", "Kolophon"]


def test_a_russian_books_furniture_is_russian(make_book) -> None:
    root = make_book(book_extra="language: ru\npublisher: Издательство у моря\nyear: 2026\ndate: 2026-03-15\n")
    book = lay_out(root)
    everything = texts(book)
    for russian in ("Содержание", "ГЛАВА 1", "Авторы фотографий", "Выходные данные", "Все права защищены.",
                    "Издатель: Издательство у моря", "Впервые опубликовано: 15 марта 2026", "Вёрстка: bookpress"):
        assert russian in everything, russian
    for english in ("Contents", "CHAPTER", "Photo credits", "Colophon", "Published by", "All rights reserved"):
        assert english not in everything, english


@pytest.mark.parametrize("language, contents, label", [("fr", "Table des matières", "CHAPITRE 1"),
                                                        ("ja", "目次", "第1章"), ("hu", "Tartalom", "1. FEJEZET"),
                                                        ("ko", "차례", "제1장"), ("ru", "Содержание", "ГЛАВА 1"),
                                                        ("uk", "Зміст", "РОЗДІЛ 1"), ("el", "Περιεχόμενα", "ΚΕΦΑΛΑΙΟ 1"),
                                                        ("tr", "İçindekiler", "BÖLÜM 1")])
def test_other_languages(make_book, language: str, contents: str, label: str) -> None:
    book = lay_out(make_book(book_extra=f"language: {language}\n"))
    everything = texts(book)
    assert contents in everything and label in everything


def test_the_colophon_names_the_fonts_actually_used(make_book) -> None:
    book = lay_out(make_book(book_extra="language: de\n"))
    # the colophon: at the foot of the credits' page, where the outline's "Kolophon" points
    page = book.pages[next(entry.page_index for entry in book.outline if entry.title == "Kolophon")]
    colophon = "\n".join(item.text for item in page.items if getattr(item, "role", "") == "body")
    assert "Gentium Book Plus" in colophon and "Lato" in colophon
    assert "Charis" not in colophon and "Droid" not in colophon  # not used: not named
    copyright_page = texts(book, "copyright")
    assert "Gentium Book Plus und Lato" in copyright_page.replace("\n", " ")  # joined as German joins a list


def test_every_string_can_be_overridden_in_book_yaml(make_book) -> None:
    root = make_book(book_extra="""
        language: de
        words:
          contents: Was drin ist
          chapter: "Teil {number}"
          credits_line: "Wer die Bilder machte, steht auf Seite {page}."
          photo_credits: Die Bilder
    """)
    everything = texts(lay_out(root))
    assert "Was drin ist" in everything and "TEIL 2" in everything
    assert "Wer die Bilder machte, steht auf Seite" in everything
    assert "Die Bilder" in everything and "Inhalt" not in everything


def test_an_override_with_an_unknown_field_is_an_error_at_its_line(make_book) -> None:
    root: Path = make_book(book_extra="words:\n  chapter: \"Kapitel {nummer}\"\n")
    result = run_compile(root)
    assert_rejected(result, "book.yaml:", "'words.chapter' has no field '{nummer}'", "number")


def test_an_unknown_key_under_words_is_an_error(make_book) -> None:
    result = run_compile(make_book(book_extra="words:\n  contens: Inhalt\n"))
    assert_rejected(result, "book.yaml:", "contens", "contents")
