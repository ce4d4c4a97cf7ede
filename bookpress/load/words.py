"""A book's language + its book.yaml `words:` -> the Words it prints (contents, chapter label, credits, colophon).

The table holds the furniture of a book in each language bookpress knows; a language
it does not know prints English, and every string can be overridden. `{name}` marks
where layout puts a value: a string may leave a field out, but not invent one.
"""

from __future__ import annotations

import re
from dataclasses import fields

from ..model import Words

FIELDS = {  # each string's fields; an override may use these and no others
    "contents": (), "chapter": ("number",), "photo_credits": (), "photo": ("name",), "colophon": (),
    "colophon_text": ("title", "fonts", "version", "trim"), "published_by": ("publisher",),
    "edition": ("edition",), "rights": (), "typeset": ("version", "fonts"), "first_published": ("date",),
}

_KEYS = tuple(FIELDS)


def _row(*values: str) -> dict[str, str]:
    return dict(zip(_KEYS, values))


TABLE: dict[str, dict[str, str]] = {
    "en": {f.name: f.default for f in fields(Words) if f.name != "language"},
    "de": _row("Inhalt", "Kapitel {number}", "Bildnachweis", "Foto: {name}", "Kolophon",
               "{title} wurde in {fonts} gesetzt und mit bookpress {version} im Format {trim} umbrochen.",
               "Erschienen bei {publisher}", "Ausgabe: {edition}", "Alle Rechte vorbehalten.",
               "Gesetzt mit bookpress {version} in {fonts}.", "Erstausgabe {date}"),
    "fr": _row("Table des matières", "Chapitre {number}", "Crédits photographiques", "Photo : {name}", "Colophon",
               "{title} a été composé en {fonts} avec bookpress {version}, au format {trim}.",
               "Publié par {publisher}", "Édition : {edition}", "Tous droits réservés.",
               "Composé avec bookpress {version} en {fonts}.", "Première publication : {date}"),
    "es": _row("Índice", "Capítulo {number}", "Créditos fotográficos", "Foto: {name}", "Colofón",
               "{title} se compuso en {fonts} con bookpress {version}, en formato {trim}.",
               "Publicado por {publisher}", "Edición: {edition}", "Reservados todos los derechos.",
               "Compuesto con bookpress {version} en {fonts}.", "Primera edición: {date}"),
    "it": _row("Indice", "Capitolo {number}", "Crediti fotografici", "Foto: {name}", "Colophon",
               "{title} è stato composto in {fonts} con bookpress {version}, nel formato {trim}.",
               "Pubblicato da {publisher}", "Edizione: {edition}", "Tutti i diritti riservati.",
               "Composto con bookpress {version} in {fonts}.", "Prima edizione: {date}"),
    "nl": _row("Inhoud", "Hoofdstuk {number}", "Fotoverantwoording", "Foto: {name}", "Colofon",
               "{title} is gezet in {fonts} en opgemaakt met bookpress {version}, in het formaat {trim}.",
               "Uitgegeven door {publisher}", "Editie: {edition}", "Alle rechten voorbehouden.",
               "Gezet met bookpress {version} in {fonts}.", "Eerste uitgave: {date}"),
    "pt": _row("Índice", "Capítulo {number}", "Créditos fotográficos", "Foto: {name}", "Colofão",
               "{title} foi composto em {fonts} com o bookpress {version}, no formato {trim}.",
               "Publicado por {publisher}", "Edição: {edition}", "Todos os direitos reservados.",
               "Composto com o bookpress {version} em {fonts}.", "Primeira edição: {date}"),
    "cs": _row("Obsah", "Kapitola {number}", "Autoři fotografií", "Foto: {name}", "Tiráž",
               "Kniha {title} je vysázena písmy {fonts} programem bookpress {version} ve formátu {trim}.",
               "Vydal {publisher}", "Vydání: {edition}", "Všechna práva vyhrazena.",
               "Vysázeno programem bookpress {version} písmy {fonts}.", "První vydání: {date}"),
    "hu": _row("Tartalom", "{number}. fejezet", "Fotók", "Fotó: {name}", "Kolofon",
               "{title}. Betűk: {fonts}. Szedés: bookpress {version}, {trim} méretben.",
               "Kiadó: {publisher}", "Kiadás: {edition}", "Minden jog fenntartva.",
               "Szedés: bookpress {version}, betűk: {fonts}.", "Első kiadás: {date}"),
    "pl": _row("Spis treści", "Rozdział {number}", "Autorzy zdjęć", "Fot. {name}", "Kolofon",
               "{title} złożono krojami {fonts} w programie bookpress {version}, w formacie {trim}.",
               "Wydawca: {publisher}", "Wydanie: {edition}", "Wszelkie prawa zastrzeżone.",
               "Złożono w programie bookpress {version} krojami {fonts}.", "Wydanie pierwsze: {date}"),
    "sv": _row("Innehåll", "Kapitel {number}", "Bildförteckning", "Foto: {name}", "Kolofon",
               "{title} är satt med {fonts} och ombruten med bookpress {version} i formatet {trim}.",
               "Utgiven av {publisher}", "Upplaga: {edition}", "Alla rättigheter förbehållna.",
               "Satt med bookpress {version} i {fonts}.", "Första upplagan: {date}"),
    "da": _row("Indhold", "Kapitel {number}", "Billedfortegnelse", "Foto: {name}", "Kolofon",
               "{title} er sat med {fonts} og brudt om med bookpress {version} i formatet {trim}.",
               "Udgivet af {publisher}", "Udgave: {edition}", "Alle rettigheder forbeholdes.",
               "Sat med bookpress {version} i {fonts}.", "1. udgave: {date}"),
    "nb": _row("Innhold", "Kapittel {number}", "Bildeliste", "Foto: {name}", "Kolofon",
               "{title} er satt med {fonts} og brukket om med bookpress {version} i formatet {trim}.",
               "Utgitt av {publisher}", "Utgave: {edition}", "Alle rettigheter forbeholdt.",
               "Satt med bookpress {version} i {fonts}.", "1. utgave: {date}"),
    "fi": _row("Sisällys", "Luku {number}", "Kuvalähteet", "Kuva: {name}", "Kolofoni",
               "{title}. Kirjasimet: {fonts}. Taitto: bookpress {version}. Koko: {trim}.",
               "Kustantaja: {publisher}", "Painos: {edition}", "Kaikki oikeudet pidätetään.",
               "Ladonta: bookpress {version}, kirjasimet {fonts}.", "Ensimmäinen painos: {date}"),
    "ja": _row("目次", "第{number}章", "写真クレジット", "写真：{name}", "奥付",
               "『{title}』は{fonts}で組まれ、bookpress {version}で{trim}判に組版されました。",
               "発行：{publisher}", "版：{edition}", "無断転載を禁じます。",
               "組版：bookpress {version}（{fonts}）", "初版：{date}"),
    "ko": _row("차례", "제{number}장", "사진 출처", "사진: {name}", "판권",
               "《{title}》: 글꼴 {fonts}, bookpress {version} 조판, 판형 {trim}.",
               "펴낸곳: {publisher}", "판: {edition}", "모든 권리 보유.",
               "조판: bookpress {version}, 글꼴: {fonts}", "초판 발행: {date}"),
    "zh": _row("目录", "第{number}章", "图片来源", "摄影：{name}", "版权页",
               "《{title}》以{fonts}排版，由 bookpress {version} 制作，开本 {trim}。",
               "出版：{publisher}", "版次：{edition}", "版权所有，侵权必究。",
               "排版：bookpress {version}（{fonts}）", "初版：{date}"),
    "zh_hant": _row("目錄", "第{number}章", "圖片來源", "攝影：{name}", "版權頁",
                    "《{title}》以{fonts}排版，由 bookpress {version} 製作，開本 {trim}。",
                    "出版：{publisher}", "版次：{edition}", "版權所有，翻印必究。",
                    "排版：bookpress {version}（{fonts}）", "初版：{date}"),
}
ALIASES = {"no": "nb", "nn": "nb", "zh_tw": "zh_hant", "zh_hk": "zh_hant", "zh_mo": "zh_hant"}
_FIELD = re.compile(r"\{([^{}]*)\}")


def table_key(language: str) -> str:
    """'de-AT' -> 'de', 'zh-Hant' and 'zh-TW' -> 'zh_hant', 'no' -> 'nb'; 'en' for a language not in the table."""
    code = language.replace("-", "_").lower()
    for candidate in (code, "_".join(code.split("_")[:2]), code.split("_")[0]):
        candidate = ALIASES.get(candidate, candidate)
        if candidate in TABLE:
            return candidate
    return "en"


def unknown_fields(key: str, text: str) -> list[str]:
    """Fields an override names that layout has no value for ('{nummer}' for '{number}')."""
    return [name for name in _FIELD.findall(text) if name not in FIELDS[key]]


def words_for(language: str, overrides: dict[str, str] | None = None) -> Words:
    strings = dict(TABLE[table_key(language)])
    strings.update({key: value for key, value in (overrides or {}).items() if value is not None})
    return Words(language=language, **strings)
