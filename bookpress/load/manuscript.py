"""A manuscript folder -> a validated, frozen Manuscript (the load stage).

Reads book.yaml and every chapter file with line-aware YAML, checks every key and
type against the schema models (`schema/`), resolves paths (refusing any that leave the folder),
probes every image's header, and reports all problems of the run together. A part
that is broken is left out and the rest is still checked, so one run shows them all.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..diagnostics import Diagnostics, UsageError, did_you_mean
from ..fonts.catalog import FontBook, load_fonts
from ..geometry import LengthError, Sides, parse_trim
from ..model import BookMeta, Chapter, CoverSettings, Manuscript, PageFormat, PrintSettings, SourceRef, Words
from . import editions, schema
from .chapters import load_chapter
from .files import MiB, Refused, check_file, leads_out
from .glyphs import check_glyphs
from .isbn import isbn_ok, parse_price
from .loader import Loader
from .printers import MM, PRESETS, profile_problem
from .schema.errors import salvage
from .style import read_style
from .values import in_unit, length
from .words import FIELDS as WORD_FIELDS
from .words import unknown_fields, words_for
from .yamlsrc import SourceMap, YamlProblem, load_yaml

DEFAULT_MARGINS = {"inside": 20 * MM, "outside": 14 * MM, "top": 16 * MM, "bottom": 20 * MM}
MAX_BLEED = 25.4 * MM  # printers ask for 3 to 6 mm; an inch is already generous
TRIM_SIDES = (50 * MM, 1200 * MM)  # a matchbox to A0
MAX_FONT_BYTES = 64 * MiB  # the largest CJK families are ~30 MiB a face
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")  # BCP 47-like: en, en-GB, pt_BR, zh-Hant


def find_book_file(root: Path) -> Path | None:
    for name in ("book.yaml", "book.yml"):
        if (root / name).is_file():
            return root / name
    return None



def _format(loader: Loader, book: schema.BookSchema, preset, file: str, smap: SourceMap) -> PageFormat:
    try:
        trim = parse_trim(book.format.trim)
        if not all(TRIM_SIDES[0] <= side <= TRIM_SIDES[1] for side in (trim.width, trim.height)):
            raise LengthError(f"each side of the trim must be between {in_unit(TRIM_SIDES[0], 'mm')} and "
                              f"{in_unit(TRIM_SIDES[1], 'mm')}, got {book.format.trim!r}")
    except LengthError as exc:
        loader.error_at(file, smap.value_at(("format", "trim")), str(exc), "write it like 210x280mm or 8.5in x 11in")
        trim = parse_trim("a4")
    else:
        if not preset.trim_allowed(trim.width, trim.height):
            loader.error_at(file, smap.value_at(("format", "trim")),
                            f"printer '{preset.name}' does not print the trim '{book.format.trim}'",
                            f"choose one of: {preset.trim_names()}")
    bleed = length(loader, book.format.bleed, preset.bleed, file, smap, ("format", "bleed"), (0.0, MAX_BLEED))
    given = book.format.margins
    margins = Sides(
        top=length(loader, given.top, DEFAULT_MARGINS["top"], file, smap, ("format", "margins", "top")),
        bottom=length(loader, given.bottom, DEFAULT_MARGINS["bottom"], file, smap, ("format", "margins", "bottom")),
        inside=length(loader, given.inside, DEFAULT_MARGINS["inside"], file, smap, ("format", "margins", "inside")),
        outside=length(loader, given.outside, DEFAULT_MARGINS["outside"], file, smap,
                        ("format", "margins", "outside")),
    )
    if margins.inside + margins.outside >= trim.width * 0.8 or margins.top + margins.bottom >= trim.height * 0.8:
        loader.error_at(file, smap.where(("format", "margins")), "the margins leave almost no room on the page",
                        "make the margins smaller or the trim larger")
    return PageFormat(trim, bleed, margins, preset.bleed_inside)


def _print_settings(loader: Loader, book: schema.BookSchema, preset, file: str, smap: SourceMap) -> PrintSettings:
    given = book.print
    profile = None
    if given.profile:
        profile = loader.resolve(given.profile, file, smap.value_at(("print", "profile")), "ICC profile")
        problem = profile_problem(profile) if profile else None
        if problem:
            loader.error_at(file, smap.value_at(("print", "profile")), f"'{given.profile}' {problem}",
                            "ask the printer for their CMYK output profile (.icc)")
    ppi = given.ppi or 300
    if given.marks and not preset.marks_allowed:
        loader.error_at(file, smap.value_at(("print", "marks")), f"printer '{preset.name}' does not accept crop marks",
                        "remove 'marks: true'; the printer trims by the TrimBox")
    return PrintSettings(
        printer=preset.name, paper=book.paper, pdfx=given.pdfx or preset.pdfx, profile=profile,
        marks=bool(given.marks), ppi=ppi, min_ppi=given.min_ppi or min(preset.min_ppi, ppi), caliper=given.caliper,
        intent=given.intent or "relative", ink_limit=given.ink_limit or preset.ink_limit,
    )


def _cover(loader: Loader, book: schema.BookSchema, file: str, smap: SourceMap) -> CoverSettings:
    photo = None
    if book.cover.photo:
        photo = loader.photo(schema.PhotoOptions(), book.cover.photo, file, smap, ("cover", "photo"))
    price = None
    if book.cover.price is not None:
        price, problem = parse_price(book.cover.price)
        if problem:
            loader.error_at(file, smap.value_at(("cover", "price")), f"cover.price: {problem}",
                            "write the currency and the amount, e.g. 'USD 24.95' or '$24.95' (USD, CAD, AUD, NZD "
                            "or GBP, up to 99.99), or the add-on's five digits such as 52495; 90000 prints no price")
    return CoverSettings(photo, book.cover.back_text, price.add_on if price else None, price.label if price else None)


def _isbn_problem(loader: Loader, book: schema.BookSchema, file: str, smap: SourceMap) -> None:
    if book.isbn and not isbn_ok(book.isbn):
        loader.error_at(file, smap.value_at(("isbn",)), f"ISBN '{book.isbn}' is not valid (wrong length or check digit)",
                        "copy the ISBN again from your agency's record: 13 digits, or 10 ending in a digit or X")


def _language_problem(loader: Loader, book: schema.BookSchema, file: str, smap: SourceMap) -> None:
    if not LANGUAGE.match(book.language):
        loader.error_at(file, smap.value_at(("language",)), f"'{book.language}' is not a language code",
                        "write a code such as en, en-GB, de, fr or pt-BR")


def _families(loader: Loader) -> tuple[FontBook, tuple[Path, ...]]:
    """The fonts the book may use, and the manuscript's font folder if all its fonts are usable."""
    folder = _own_folder(loader, "fonts")
    if folder is None:
        return load_fonts([]), ()
    broken = [path for path in sorted(folder.iterdir()) if path.suffix.lower() == ".ttf" and _font_broken(loader, path)]
    if broken:  # the bundled fonts still let the rest of the book be checked
        return load_fonts([]), ()
    return load_fonts([folder]), (folder,)


def _own_folder(loader: Loader, name: str) -> Path | None:
    """The manuscript's fonts/ or layouts/ folder, if it has one that is its own (not a link leading out)."""
    folder = loader.root / name
    if not folder.is_dir():
        return None
    escape = leads_out(folder, loader.root)
    if escape is not None:
        loader.diag.error(f"the {name} folder {escape}", name,
                          hint=f"copy the files into a {name}/ folder of the manuscript itself")
        return None
    return folder


def _font_broken(loader: Loader, path: Path) -> bool:
    """Reported (True) unless the font is a file of the manuscript that reportlab can parse.

    Checked before reportlab opens it: a named pipe would hang the parse, /dev/zero fill the memory.
    """
    problem = leads_out(path, loader.root)
    if problem is not None:
        loader.diag.error(f"font file {problem}", f"fonts/{path.name}", hint="copy the font file into fonts/ itself")
        return True
    try:
        check_file(path, MAX_FONT_BYTES)
    except Refused as exc:
        loader.diag.error(f"font file {exc.message}", f"fonts/{path.name}", hint=exc.hint)
        return True
    try:
        TTFont(f"bookpress-check-{path.stem}", str(path))
    except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError) as exc:  # reportlab's ways to fail
        reason = " ".join(str(exc).replace(str(path), "").replace('""', "").split()).strip(" :")
        loader.diag.error(f"not a usable TrueType font ({reason})", loader.rel(path),
                          hint="replace it with a working .ttf file, or remove it from fonts/")
        return True
    return False


def _load_book(loader: Loader, book_file: Path, edition: str | None
               ) -> tuple[schema.BookSchema | None, str, SourceMap, list, tuple[str, ...]]:
    """book.yaml (or one edition of it) -> its settings (what can be used of them), its chapter entries as
    (index, path), and the names of the editions it declares."""
    file = loader.rel(book_file)
    loaded = loader.read_yaml(book_file)
    if loaded is None:
        return None, file, SourceMap(), [], ()
    data, smap = loaded
    if not isinstance(data, dict):
        loader.error_at(file, (1, 1), "book.yaml must be a mapping of keys",
                        "start it with 'title: ...' and list the chapter files under 'chapters:'")
        return None, file, smap, [], ()
    found = editions.declared(loader, data, smap, file)
    data = found.data
    if edition is not None:
        data, smap = editions.select(found, smap, edition, file)
    book = loader.validate(schema.BookSchema, data, file, smap)
    raw = data.get("chapters")
    entries = [(i, str(c)) for i, c in enumerate(raw) if isinstance(c, (str, int))] if isinstance(raw, list) else []
    if book is None:  # reported; the rest of book.yaml still applies
        book = salvage(schema.BookSchema, {**data, "chapters": [path for _, path in entries] or ["?"]})
    return book, file, smap, entries, found.names


def declared_editions(root: Path) -> tuple[str, ...] | None:
    """The edition names book.yaml declares, read without any check (building each reports its problems);
    None when the folder has no book.yaml."""
    book_file = find_book_file(Path(root))
    if book_file is None:
        return None
    try:
        data, _ = load_yaml(book_file)
    except YamlProblem:
        return ()
    return editions.names_in(data)


def _chapters(loader: Loader, entries: list, file: str, smap: SourceMap) -> tuple[Chapter, ...]:
    chapters, seen = [], {}
    for index, chapter_path in entries:
        where = smap.where(("chapters", index))
        key = (loader.root / chapter_path).resolve() if chapter_path.strip() else None
        if key is not None and key in seen:
            loader.error_at(file, where, f"chapter file '{chapter_path}' is listed twice (also at line {seen[key]})",
                            "remove one of the two entries")
            continue
        if key is not None:
            seen[key] = where[0]
        chapter = load_chapter(loader, chapter_path, file, where)
        if chapter is not None:
            chapters.append(chapter)
    return tuple(chapters)


def _preset(loader: Loader, book: schema.BookSchema, printer: str | None, file: str, smap: SourceMap):
    name = printer or book.printer
    if name not in PRESETS:
        loader.error_at(file, smap.value_at(("printer",)), f"unknown printer preset '{name}'",
                        did_you_mean(name, PRESETS) or f"choose one of: {', '.join(PRESETS)}")
        name = "generic"
    return PRESETS[name]


def load_manuscript(root: Path, printer: str | None = None, diag: Diagnostics | None = None,
                    edition: str | None = None) -> Manuscript:
    """Read and validate the manuscript in `root` (as edition `edition` when one is named).

    Without `diag`: raise ManuscriptError listing every problem. With it: problems are
    added to `diag` and the manuscript comes back with its broken parts left out, so
    that later stages can report their problems in the same run; ManuscriptError is
    raised only when there is no book.yaml to speak of.
    """
    if printer is not None and printer not in PRESETS:
        raise UsageError(f"unknown printer preset '{printer}' given to --printer",
                         did_you_mean(printer, PRESETS) or f"choose one of: {', '.join(PRESETS)}")
    loader = Loader(root, diag)
    book_file = find_book_file(loader.root)
    if book_file is None:  # pointed at the wrong folder: a usage error, not a manuscript one
        raise UsageError(f"'{root}' is not a manuscript folder: it has no book.yaml",
                         "give the manuscript folder as the argument, or run 'bookpress init DIR' to start a book")
    book, file, smap, entries, names = _load_book(loader, book_file, edition)
    if book is None:
        loader.diag.raise_if_errors()
    manuscript = replace(_assemble(loader, book, file, smap, entries, printer), edition=edition, editions=names)
    if diag is None:
        loader.diag.raise_if_errors()
    return manuscript


def _assemble(loader: Loader, book: schema.BookSchema, file: str, smap: SourceMap, entries: list,
              printer: str | None) -> Manuscript:
    preset = _preset(loader, book, printer, file, smap)
    _isbn_problem(loader, book, file, smap)
    _language_problem(loader, book, file, smap)
    fonts, font_folders = _families(loader)
    meta = BookMeta(
        title=book.title.strip(), subtitle=book.subtitle, author=book.author, publisher=book.publisher,
        isbn=book.isbn, language=book.language, edition=None if book.edition is None else str(book.edition),
        year=None if book.year is None else str(book.year), copyright=book.copyright, dedication=book.dedication,
        date=_date(loader, book, file, smap),
    )
    style = read_style(loader, book.style, file, smap, fonts)
    manuscript = Manuscript(
        root=loader.root, meta=meta, format=_format(loader, book, preset, file, smap), style=style,
        print=replace(_print_settings(loader, book, preset, file, smap),
                      printer_source=None if printer else SourceRef(file, *smap.value_at(("printer",)))),
        chapters=_chapters(loader, entries, file, smap), front_matter=tuple(book.front_matter),
        back_matter=tuple(book.back_matter), layout_folders=tuple(p for p in [_own_folder(loader, "layouts")] if p),
        font_folders=font_folders, cover=_cover(loader, book, file, smap),
        words=_words(loader, book, file, smap),
    )
    fonts.order = style.fallback
    return replace(manuscript, unprintable=check_glyphs(loader, fonts, manuscript))


def _date(loader: Loader, book: schema.BookSchema, file: str, smap: SourceMap) -> str | None:
    if book.date is None:
        return None
    text = str(book.date).strip()
    if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", text):
        loader.error_at(file, smap.value_at(("date",)), f"'date' must be a date such as 2026-03-15 or 2026-03, "
                        f"got {book.date!r}", "write the year, month and day with dashes: 2026-03-15")
        return None
    return text


def _words(loader: Loader, book: schema.BookSchema, file: str, smap: SourceMap) -> Words:
    overrides = book.words.model_dump(exclude_none=True)
    for key, text in overrides.items():
        for name in unknown_fields(key, text):
            allowed = ", ".join("{" + f + "}" for f in WORD_FIELDS[key]) or "none"
            loader.error_at(file, smap.value_at(("words", key)), f"'words.{key}' has no field '{{{name}}}'",
                            did_you_mean(name, WORD_FIELDS[key]) or f"its fields: {allowed}")
    return words_for(book.language, overrides)
