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
    "colophon_text": ("title", "fonts", "version", "trim", "paper"), "published_by": ("publisher",),
    "edition": ("edition", "year"), "rights": (), "typeset": ("version", "fonts"), "first_published": ("date",),
    "printed_by": ("printer",), "printed_in": ("country",), "credits_line": ("page",),
    "paper_white": (), "paper_cream": (), "paper_coated": (), "captions": (), "cover": (), "positions": (),
}
POSITIONS = 6  # `positions`: top, middle, bottom, left, centre, right, comma-separated

_KEYS = tuple(FIELDS)[:12]  # the strings of the first table below, in its order


def _row(*values: str) -> dict[str, str]:
    return dict(zip(_KEYS, values))


TABLE: dict[str, dict[str, str]] = {
    "en": {f.name: f.default for f in fields(Words) if f.name != "language"},
    "de": _row("Inhalt", "Kapitel {number}", "Bildnachweis", "Foto: {name}", "Kolophon",
               "{title} wurde in {fonts} gesetzt und mit bookpress {version} im Format {trim} umbrochen.",
               "Erschienen bei {publisher}", "{edition} {year}", "Alle Rechte vorbehalten.",
               "Gesetzt mit bookpress {version} in {fonts}.", "Erstausgabe {date}"),
    "fr": _row("Table des matières", "Chapitre {number}", "Crédits photographiques", "Photo : {name}", "Colophon",
               "{title} a été composé en {fonts} avec bookpress {version}, au format {trim}.",
               "Publié par {publisher}", "{edition}, {year}", "Tous droits réservés.",
               "Composé avec bookpress {version} en {fonts}.", "Première publication : {date}"),
    "es": _row("Índice", "Capítulo {number}", "Créditos fotográficos", "Foto: {name}", "Colofón",
               "{title} se compuso en {fonts} con bookpress {version}, en formato {trim}.",
               "Publicado por {publisher}", "{edition}, {year}", "Reservados todos los derechos.",
               "Compuesto con bookpress {version} en {fonts}.", "Primera edición: {date}"),
    "it": _row("Indice", "Capitolo {number}", "Crediti fotografici", "Foto: {name}", "Colophon",
               "{title} è stato composto in {fonts} con bookpress {version}, nel formato {trim}.",
               "Pubblicato da {publisher}", "{edition}, {year}", "Tutti i diritti riservati.",
               "Composto con bookpress {version} in {fonts}.", "Prima edizione: {date}"),
    "nl": _row("Inhoud", "Hoofdstuk {number}", "Fotoverantwoording", "Foto: {name}", "Colofon",
               "{title} is gezet in {fonts} en opgemaakt met bookpress {version}, in het formaat {trim}.",
               "Uitgegeven door {publisher}", "{edition}, {year}", "Alle rechten voorbehouden.",
               "Gezet met bookpress {version} in {fonts}.", "Eerste uitgave: {date}"),
    "pt": _row("Índice", "Capítulo {number}", "Créditos fotográficos", "Foto: {name}", "Colofão",
               "{title} foi composto em {fonts} com o bookpress {version}, no formato {trim}.",
               "Publicado por {publisher}", "{edition}, {year}", "Todos os direitos reservados.",
               "Composto com o bookpress {version} em {fonts}.", "Primeira edição: {date}"),
    "cs": _row("Obsah", "Kapitola {number}", "Autoři fotografií", "Foto: {name}", "Tiráž",
               "Kniha {title} je vysázena písmy {fonts} programem bookpress {version} ve formátu {trim}.",
               "Vydal {publisher}", "{edition}, {year}", "Všechna práva vyhrazena.",
               "Vysázeno programem bookpress {version} písmy {fonts}.", "První vydání: {date}"),
    "hu": _row("Tartalom", "{number}. fejezet", "Fotók", "Fotó: {name}", "Kolofon",
               "{title}. Betűk: {fonts}. Szedés: bookpress {version}, {trim} méretben.",
               "Kiadó: {publisher}", "{edition}, {year}", "Minden jog fenntartva.",
               "Szedés: bookpress {version}, betűk: {fonts}.", "Első kiadás: {date}"),
    "pl": _row("Spis treści", "Rozdział {number}", "Autorzy zdjęć", "Fot. {name}", "Kolofon",
               "{title} złożono krojami {fonts} w programie bookpress {version}, w formacie {trim}.",
               "Wydawca: {publisher}", "{edition}, {year}", "Wszelkie prawa zastrzeżone.",
               "Złożono w programie bookpress {version} krojami {fonts}.", "Wydanie pierwsze: {date}"),
    "sv": _row("Innehåll", "Kapitel {number}", "Bildförteckning", "Foto: {name}", "Kolofon",
               "{title} är satt med {fonts} och ombruten med bookpress {version} i formatet {trim}.",
               "Utgiven av {publisher}", "{edition} {year}", "Alla rättigheter förbehållna.",
               "Satt med bookpress {version} i {fonts}.", "Första upplagan: {date}"),
    "da": _row("Indhold", "Kapitel {number}", "Billedfortegnelse", "Foto: {name}", "Kolofon",
               "{title} er sat med {fonts} og brudt om med bookpress {version} i formatet {trim}.",
               "Udgivet af {publisher}", "{edition} {year}", "Alle rettigheder forbeholdes.",
               "Sat med bookpress {version} i {fonts}.", "1. udgave: {date}"),
    "nb": _row("Innhold", "Kapittel {number}", "Bildeliste", "Foto: {name}", "Kolofon",
               "{title} er satt med {fonts} og brukket om med bookpress {version} i formatet {trim}.",
               "Utgitt av {publisher}", "{edition} {year}", "Alle rettigheter forbeholdt.",
               "Satt med bookpress {version} i {fonts}.", "1. utgave: {date}"),
    "fi": _row("Sisällys", "Luku {number}", "Kuvalähteet", "Kuva: {name}", "Kolofoni",
               "{title}. Kirjasimet: {fonts}. Taitto: bookpress {version}. Koko: {trim}.",
               "Kustantaja: {publisher}", "{edition} {year}", "Kaikki oikeudet pidätetään.",
               "Ladonta: bookpress {version}, kirjasimet {fonts}.", "Ensimmäinen painos: {date}"),
    "ru": _row("Содержание", "Глава {number}", "Авторы фотографий", "Фото: {name}", "Выходные данные",
               "«{title}» — набор шрифтами {fonts}, вёрстка в bookpress {version}, формат {trim}.",
               "Издатель: {publisher}", "{edition}, {year}", "Все права защищены.",
               "Вёрстка: bookpress {version}, шрифты {fonts}.", "Впервые опубликовано: {date}"),
    "uk": _row("Зміст", "Розділ {number}", "Автори фотографій", "Фото: {name}", "Вихідні дані",
               "«{title}» — набір шрифтами {fonts}, верстка в bookpress {version}, формат {trim}.",
               "Видавець: {publisher}", "{edition}, {year}", "Усі права захищено.",
               "Верстка: bookpress {version}, шрифти {fonts}.", "Уперше опубліковано: {date}"),
    "el": _row("Περιεχόμενα", "Κεφάλαιο {number}", "Πηγές φωτογραφιών", "Φωτογραφία: {name}", "Κολοφώνας",
               "Το βιβλίο {title} στοιχειοθετήθηκε με {fonts} και σελιδοποιήθηκε με το bookpress {version}, "
               "σε σχήμα {trim}.",
               "Έκδοση: {publisher}", "{edition}, {year}", "Με επιφύλαξη παντός δικαιώματος.",
               "Στοιχειοθεσία: bookpress {version}, γραμματοσειρές {fonts}.", "Πρώτη έκδοση: {date}"),
    "tr": _row("İçindekiler", "Bölüm {number}", "Fotoğraf kaynakları", "Fotoğraf: {name}", "Künye",
               "{title}, {fonts} yazı tipleriyle dizilmiş ve bookpress {version} ile {trim} boyutunda sayfalanmıştır.",
               "Yayınevi: {publisher}", "{edition}, {year}", "Tüm hakları saklıdır.",
               "Dizgi: bookpress {version}, yazı tipleri {fonts}.", "İlk yayım: {date}"),
    "ja": _row("目次", "第{number}章", "写真クレジット", "写真：{name}", "奥付",
               "『{title}』は{fonts}で組まれ、bookpress {version}で{trim}判に組版されました。",
               "発行：{publisher}", "{edition}（{year}）", "無断転載を禁じます。",
               "組版：bookpress {version}（{fonts}）", "初版：{date}"),
    "ko": _row("차례", "제{number}장", "사진 출처", "사진: {name}", "판권",
               "《{title}》: 글꼴 {fonts}, bookpress {version} 조판, 판형 {trim}.",
               "펴낸곳: {publisher}", "{edition} ({year})", "모든 권리 보유.",
               "조판: bookpress {version}, 글꼴: {fonts}", "초판 발행: {date}"),
    "zh": _row("目录", "第{number}章", "图片来源", "摄影：{name}", "版权页",
               "《{title}》以{fonts}排版，由 bookpress {version} 制作，开本 {trim}。",
               "出版：{publisher}", "{edition}（{year}）", "版权所有，侵权必究。",
               "排版：bookpress {version}（{fonts}）", "初版：{date}"),
    "zh_hant": _row("目錄", "第{number}章", "圖片來源", "攝影：{name}", "版權頁",
                    "《{title}》以{fonts}排版，由 bookpress {version} 製作，開本 {trim}。",
                    "出版：{publisher}", "{edition}（{year}）", "版權所有，翻印必究。",
                    "排版：bookpress {version}（{fonts}）", "初版：{date}"),
}
_MORE = ("printed_by", "printed_in", "credits_line", "paper_white", "paper_cream", "paper_coated")
for _language, _strings in {
    'de': ('Gedruckt von {printer}', 'Gedruckt in {country}', 'Die Bildnachweise stehen auf Seite {page}.', 'weißem Papier', 'chamoisfarbenem Papier', 'gestrichenem Papier'),
    'fr': ('Imprimé par {printer}', 'Imprimé en {country}', 'Les crédits photographiques figurent à la page {page}.', 'papier blanc', 'papier ivoire', 'papier couché'),
    'es': ('Impreso por {printer}', 'Impreso en {country}', 'Los créditos fotográficos están en la página {page}.', 'papel blanco', 'papel ahuesado', 'papel estucado'),
    'it': ('Stampato da {printer}', 'Stampato in {country}', 'I crediti fotografici sono a pagina {page}.', 'carta bianca', 'carta avoriata', 'carta patinata'),
    'nl': ('Gedrukt door {printer}', 'Gedrukt in {country}', 'De fotoverantwoording staat op pagina {page}.', 'wit papier', 'crèmekleurig papier', 'gestreken papier'),
    'pt': ('Impresso por {printer}', 'Impresso em {country}', 'Os créditos fotográficos estão na página {page}.', 'papel branco', 'papel creme', 'papel couché'),
    'cs': ('Vytiskl {printer}', 'Vytištěno v zemi {country}', 'Autoři fotografií jsou uvedeni na straně {page}.', 'bílém papíře', 'krémovém papíře', 'křídovém papíře'),
    'hu': ('Nyomta: {printer}', 'Nyomtatva: {country}', 'A fotók készítőinek neve a(z) {page}. oldalon található.', 'fehér papírra', 'krémszínű papírra', 'műnyomó papírra'),
    'pl': ('Druk: {printer}', 'Wydrukowano w kraju: {country}', 'Autorzy zdjęć są wymienieni na stronie {page}.', 'białym papierze', 'kremowym papierze', 'papierze powlekanym'),
    'sv': ('Tryckt av {printer}', 'Tryckt i {country}', 'Fotograferna anges på sidan {page}.', 'vitt papper', 'gräddvitt papper', 'bestruket papper'),
    'da': ('Trykt af {printer}', 'Trykt i {country}', 'Fotograferne er nævnt på side {page}.', 'hvidt papir', 'cremefarvet papir', 'bestrøget papir'),
    'nb': ('Trykt av {printer}', 'Trykt i {country}', 'Fotografene er oppført på side {page}.', 'hvitt papir', 'kremhvitt papir', 'bestrøket papir'),
    'fi': ('Painopaikka: {printer}', 'Painomaa: {country}', 'Kuvaajat on lueteltu sivulla {page}.', 'valkoiselle paperille', 'kermanvalkoiselle paperille', 'päällystetylle paperille'),
    'ru': ('Отпечатано: {printer}', 'Страна печати: {country}', 'Авторы фотографий указаны на с. {page}.', 'белой бумаге', 'кремовой бумаге', 'мелованной бумаге'),
    'uk': ('Віддруковано: {printer}', 'Країна друку: {country}', 'Авторів фотографій зазначено на с. {page}.', 'білому папері', 'кремовому папері', 'крейдованому папері'),
    'el': ('Εκτύπωση: {printer}', 'Τόπος εκτύπωσης: {country}', 'Οι πηγές των φωτογραφιών βρίσκονται στη σελίδα {page}.', 'λευκό χαρτί', 'χαρτί κρεμ', 'χαρτί κουσέ'),
    'tr': ('Baskı: {printer}', 'Basıldığı ülke: {country}', 'Fotoğraf kaynakları {page}. sayfadadır.', 'Beyaz kâğıda', 'Krem kâğıda', 'Kuşe kâğıda'),
    'ja': ('印刷：{printer}', '印刷国：{country}', '写真クレジットは{page}ページにあります。', '白色紙', 'クリーム紙', 'コート紙'),
    'ko': ('인쇄: {printer}', '인쇄국: {country}', '사진 출처는 {page}쪽에 있습니다.', '백색지', '미색지', '코팅지'),
    'zh': ('印刷：{printer}', '印刷地：{country}', '图片来源见第{page}页。', '白纸', '米色纸', '铜版纸'),
    'zh_hant': ('印刷：{printer}', '印刷地：{country}', '圖片來源見第{page}頁。', '白紙', '米色紙', '銅版紙'),
}.items():
    TABLE[_language].update(zip(_MORE, _strings))
for _language, _strings in {
    'de': ('Bildunterschriften', 'Umschlag', 'oben, Mitte, unten, links, Mitte, rechts'),
    'fr': ('Légendes', 'couverture', 'haut, milieu, bas, gauche, centre, droite'),
    'es': ('Pies de foto', 'cubierta', 'arriba, centro, abajo, izquierda, centro, derecha'),
    'it': ('Didascalie', 'copertina', 'in alto, al centro, in basso, a sinistra, al centro, a destra'),
    'nl': ('Bijschriften', 'omslag', 'boven, midden, onder, links, midden, rechts'),
    'pt': ('Legendas', 'capa', 'em cima, ao centro, em baixo, à esquerda, ao centro, à direita'),
    'cs': ('Popisky', 'obálka', 'nahoře, uprostřed, dole, vlevo, uprostřed, vpravo'),
    'hu': ('Képaláírások', 'borító', 'fent, középen, lent, balra, középen, jobbra'),
    'pl': ('Podpisy', 'okładka', 'u góry, pośrodku, u dołu, z lewej, pośrodku, z prawej'),
    'sv': ('Bildtexter', 'omslag', 'överst, mitten, nederst, vänster, mitten, höger'),
    'da': ('Billedtekster', 'omslag', 'øverst, midten, nederst, venstre, midten, højre'),
    'nb': ('Bildetekster', 'omslag', 'øverst, midten, nederst, venstre, midten, høyre'),
    'fi': ('Kuvatekstit', 'kansi', 'ylhäällä, keskellä, alhaalla, vasemmalla, keskellä, oikealla'),
    'ru': ('Подписи к фотографиям', 'обложка', 'вверху, в центре, внизу, слева, в центре, справа'),
    'uk': ('Підписи до фотографій', 'обкладинка', 'угорі, у центрі, унизу, ліворуч, у центрі, праворуч'),
    'el': ('Λεζάντες', 'εξώφυλλο', 'πάνω, στη μέση, κάτω, αριστερά, στο κέντρο, δεξιά'),
    'tr': ('Fotoğraf altı yazıları', 'kapak', 'üstte, ortada, altta, solda, ortada, sağda'),
    'ja': ('キャプション', 'カバー', '上, 中, 下, 左, 中央, 右'),
    'ko': ('캡션', '표지', '위, 가운데, 아래, 왼쪽, 가운데, 오른쪽'),
    'zh': ('图片说明', '封面', '上, 中, 下, 左, 中, 右'),
    'zh_hant': ('圖片說明', '封面', '上, 中, 下, 左, 中, 右'),
}.items():
    TABLE[_language].update(zip(("captions", "cover", "positions"), _strings))
for _language, _sentence in {
    'de': ' Gedruckt auf {paper}.',
    'fr': ' Imprimé sur {paper}.',
    'es': ' Impreso en {paper}.',
    'it': ' Stampato su {paper}.',
    'nl': ' Gedrukt op {paper}.',
    'pt': ' Impresso em {paper}.',
    'cs': ' Vytištěno na {paper}.',
    'hu': ' Nyomtatva {paper}.',
    'pl': ' Wydrukowano na {paper}.',
    'sv': ' Tryckt på {paper}.',
    'da': ' Trykt på {paper}.',
    'nb': ' Trykt på {paper}.',
    'fi': ' Painettu {paper}.',
    'ru': ' Отпечатано на {paper}.',
    'uk': ' Віддруковано на {paper}.',
    'el': ' Τυπώθηκε σε {paper}.',
    'tr': ' {paper} basılmıştır.',
    'ja': '用紙：{paper}。',
    'ko': ' 용지: {paper}.',
    'zh': '用纸：{paper}。',
    'zh_hant': '用紙：{paper}。',
}.items():  # the paper, said after the rest of the colophon
    TABLE[_language]["colophon_text"] += _sentence
ALIASES = {"no": "nb", "nn": "nb", "zh_tw": "zh_hant", "zh_hk": "zh_hant", "zh_mo": "zh_hant"}
_FIELD = re.compile(r"\{([^{}]*)\}")


def language_codes(language: str) -> tuple[str, str, str]:
    """'zh-Hant-TW' -> ('zh_hant_tw', 'zh_hant', 'zh'): a language tag's keys, the most particular first, for
    the tables that list a region or script only where it differs from its language (words, quotation marks)."""
    code = language.replace("-", "_").lower()
    return code, "_".join(code.split("_")[:2]), code.split("_")[0]


def table_key(language: str) -> str:
    """'de-AT' -> 'de', 'zh-Hant' and 'zh-TW' -> 'zh_hant', 'no' -> 'nb'; 'en' for a language not in the table."""
    for candidate in language_codes(language):
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
