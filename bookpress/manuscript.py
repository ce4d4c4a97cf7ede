"""A manuscript folder -> a validated, frozen Manuscript (the load stage).

Reads book.yaml and every chapter file with line-aware YAML, checks every key and
type against `schema.py`, resolves paths (refusing any that leave the folder),
probes every image's header, and reports all problems of the run together.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ValidationError

from . import schema
from .diagnostics import Diagnostics, did_you_mean
from .fonts import FontError, load_fonts
from .geometry import LengthError, Sides, parse_length, parse_trim
from .images import ImageProblem, probe
from .model import (BookMeta, BreakBlock, Chapter, CoverSettings, HeadingBlock, ImageInfo, Manuscript, PageFormat,
                    Photo, PhotoBlock, PhotoSetBlock, PrintSettings, QuoteBlock, SlotFill, SourceRef, Style,
                    TemplatePageBlock, TextBlock, TextStyle)
from .printers import MM, PRESETS, profile_problem
from .yamlsrc import SourceMap, YamlProblem, load_yaml

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}
DEFAULT_MARGINS = {"inside": 20 * MM, "outside": 14 * MM, "top": 16 * MM, "bottom": 20 * MM}
# A block is recognised by the first of these keys it has (a photoset may carry `text`).
BLOCK_PRIORITY = ("photoset", "page", "spread", "photo", "quote", "heading", "pagebreak", "text")


def find_book_file(root: Path) -> Path | None:
    for name in ("book.yaml", "book.yml"):
        if (root / name).is_file():
            return root / name
    return None


class _Loader:
    """One load run: the diagnostics collector, the root, and a probe cache."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.diag = Diagnostics()
        self.images: dict[Path, Optional[ImageInfo]] = {}

    # -- reporting -------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def error_at(self, file: str, where: tuple[int, int], message: str, hint: str | None = None) -> None:
        self.diag.error(message, file, where[0], where[1], hint)

    def schema_errors(self, exc: ValidationError, model: type[BaseModel], file: str, smap: SourceMap,
                      prefix: tuple = ()) -> None:
        for err in exc.errors():
            loc = tuple(part for part in err["loc"])
            path = prefix + loc
            name = ".".join(str(p) for p in loc) or "document"
            kind = err["type"]
            if kind == "extra_forbidden":
                fields = _fields_at(model, loc[:-1])
                self.error_at(file, smap.where(path), f"unknown key '{loc[-1]}'",
                              did_you_mean(str(loc[-1]), fields) or f"known keys: {', '.join(sorted(fields))}")
            elif kind == "missing":
                self.error_at(file, smap.where(path[:-1]), f"missing key '{loc[-1]}'",
                              f"add '{loc[-1]}:' here")
            elif kind in ("model_type", "dict_type") and not loc:
                self.error_at(file, smap.where(path), "expected a mapping of keys (key: value)")
            else:
                self.error_at(file, smap.where(path), f"'{name}': {_explain(err)}")

    # -- paths and images ------------------------------------------------------------------
    def resolve(self, text: str, file: str, where: tuple[int, int], what: str = "file",
                must_be_dir: bool = False) -> Path | None:
        raw = Path(text)
        if raw.is_absolute():
            self.error_at(file, where, f"{what} path '{text}' is absolute",
                          "give a path relative to the manuscript folder")
            return None
        candidate = self.root / raw
        resolved = candidate.resolve()
        if not resolved.is_relative_to(self.root):
            self.error_at(file, where, f"{what} path '{text}' leads outside the manuscript folder",
                          "copy the file into the manuscript folder and refer to it from there")
            return None
        exists = resolved.is_dir() if must_be_dir else resolved.is_file()
        if not exists:
            siblings = [str(p.relative_to(self.root)) for p in candidate.parent.glob("*")] \
                if candidate.parent.is_dir() else []
            hint = did_you_mean(text, siblings) or f"check the spelling of the {what} path"
            self.error_at(file, where, f"{what} '{text}' not found", hint)
            return None
        return resolved

    def image(self, path: Path, file: str, where: tuple[int, int]) -> ImageInfo | None:
        if path not in self.images:
            try:
                self.images[path] = probe(path)
            except ImageProblem as exc:
                self.images[path] = None
                self.error_at(file, where, str(exc).replace(str(path), self.rel(path)),
                              "replace the file with a readable JPEG, PNG, TIFF or WebP image")
                return None
        return self.images[path]

    def photo(self, entry: schema.PhotoOptions, path_text: str, file: str, smap: SourceMap,
              path: tuple) -> Photo | None:
        where = smap.where(path)
        resolved = self.resolve(path_text, file, where, "photo")
        if resolved is None:
            return None
        info = self.image(resolved, file, where)
        if info is None:
            return None
        return Photo(
            image=info,
            caption=entry.caption if entry.caption is not None else info.description,
            credit=entry.credit,
            fit=entry.fit,
            focus=tuple(entry.focus) if entry.focus else (0.5, 0.5),
            source=SourceRef(file, *where),
        )

    # -- validation helper -------------------------------------------------------------------
    def validate(self, model: type[BaseModel], data: Any, file: str, smap: SourceMap, prefix: tuple = ()):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.schema_errors(exc, model, file, smap, prefix)
            return None


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names of the (nested) model that `loc` points into."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            break
        annotation = field.annotation
        for candidate in getattr(annotation, "__args__", ()) + (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
            inner = getattr(candidate, "__args__", ())
            models = [c for c in inner if isinstance(c, type) and issubclass(c, BaseModel)]
            if models:
                current = models[0]
                break
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _explain(err: dict) -> str:
    kind = err["type"]
    expected = {
        "string_type": "expected text", "bool_type": "expected true or false",
        "bool_parsing": "expected true or false", "int_type": "expected a whole number",
        "int_parsing": "expected a whole number", "float_type": "expected a number",
        "float_parsing": "expected a number", "list_type": "expected a list (lines starting with '- ')",
        "dict_type": "expected a mapping (key: value lines)", "model_type": "expected a mapping (key: value lines)",
        "tuple_type": "expected a list of two numbers like [0.5, 0.35]",
        "too_short": "needs at least one entry",
    }.get(kind)
    if kind == "literal_error":
        return f"{err['msg'].replace('Input should be', 'expected')}, got {err.get('input')!r}"
    if expected:
        return f"{expected}, got {err.get('input')!r}"
    return err["msg"]


def _length(loader: _Loader, value: Any, default: float, file: str, smap: SourceMap, path: tuple) -> float:
    if value is None:
        return default
    try:
        result = parse_length(value)
    except LengthError as exc:
        loader.error_at(file, smap.where(path), str(exc))
        return default
    if result < 0:
        loader.error_at(file, smap.where(path), f"a length must not be negative, got {value!r}")
        return default
    return result


def _isbn_ok(isbn: str) -> bool:
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return total % 10 == 0
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return total % 11 == 0
    return False


def _text_style(loader: _Loader, given: schema.TextStyleSchema, default: TextStyle, file: str,
                smap: SourceMap, path: tuple, families: list[str]) -> TextStyle:
    font = given.font or default.font
    if given.font and families and given.font.lower() not in {f.lower() for f in families}:
        loader.error_at(file, smap.where(path + ("font",)), f"font family '{given.font}' is not available",
                        did_you_mean(given.font, families) or f"available: {', '.join(families)}; "
                        "or put its .ttf files in the manuscript's fonts/ folder")
    size = _length(loader, given.size, default.size, file, smap, path + ("size",))
    leading = _length(loader, given.leading, size * default.leading / default.size, file, smap,
                      path + ("leading",))
    return TextStyle(font, size, leading, default.color)


def _style(loader: _Loader, given: schema.StyleSchema, file: str, smap: SourceMap, families: list[str]) -> Style:
    base = Style()
    return Style(
        body=_text_style(loader, given.body, base.body, file, smap, ("style", "body"), families),
        caption=_text_style(loader, given.caption, base.caption, file, smap, ("style", "caption"), families),
        heading=_text_style(loader, given.heading, base.heading, file, smap, ("style", "heading"), families),
        title=_text_style(loader, given.title, base.title, file, smap, ("style", "title"), families),
        folio=given.folio,
        running_heads=given.running_heads,
        toc_sections=given.toc_sections,
        justify=given.justify,
    )


def _format(loader: _Loader, book: schema.BookSchema, preset, file: str, smap: SourceMap) -> PageFormat:
    try:
        trim = parse_trim(book.format.trim)
    except LengthError as exc:
        loader.error_at(file, smap.where(("format", "trim")), str(exc))
        trim = parse_trim("a4")
    else:
        if not preset.trim_allowed(trim.width, trim.height):
            loader.error_at(file, smap.where(("format", "trim")),
                            f"printer '{preset.name}' does not print the trim '{book.format.trim}'",
                            f"choose one of: {preset.trim_names()}")
    bleed = _length(loader, book.format.bleed, preset.bleed, file, smap, ("format", "bleed"))
    given = book.format.margins
    margins = Sides(
        top=_length(loader, given.top, DEFAULT_MARGINS["top"], file, smap, ("format", "margins", "top")),
        bottom=_length(loader, given.bottom, DEFAULT_MARGINS["bottom"], file, smap, ("format", "margins", "bottom")),
        inside=_length(loader, given.inside, DEFAULT_MARGINS["inside"], file, smap, ("format", "margins", "inside")),
        outside=_length(loader, given.outside, DEFAULT_MARGINS["outside"], file, smap,
                        ("format", "margins", "outside")),
    )
    if margins.inside + margins.outside >= trim.width * 0.8 or margins.top + margins.bottom >= trim.height * 0.8:
        loader.error_at(file, smap.where(("format", "margins")), "the margins leave almost no room on the page",
                        "make the margins smaller or the trim larger")
    return PageFormat(trim, bleed, margins, preset.bleed_inside)


def _print_settings(loader: _Loader, book: schema.BookSchema, preset, file: str, smap: SourceMap) -> PrintSettings:
    given = book.print
    profile = None
    if given.profile:
        profile = loader.resolve(given.profile, file, smap.where(("print", "profile")), "ICC profile")
        problem = profile_problem(profile) if profile else None
        if problem:
            loader.error_at(file, smap.where(("print", "profile")), f"'{given.profile}' {problem}",
                            "ask the printer for their CMYK output profile (.icc)")
    ppi = given.ppi or 300
    if given.marks and not preset.marks_allowed:
        loader.error_at(file, smap.where(("print", "marks")), f"printer '{preset.name}' does not accept crop marks",
                        "remove 'marks: true'; the printer trims by the TrimBox")
    return PrintSettings(
        printer=preset.name, paper=book.paper, pdfx=given.pdfx or preset.pdfx, profile=profile,
        marks=bool(given.marks), ppi=ppi, min_ppi=given.min_ppi or min(preset.min_ppi, ppi), caliper=given.caliper,
    )


def _cover(loader: _Loader, book: schema.BookSchema, file: str, smap: SourceMap) -> CoverSettings:
    photo = None
    if book.cover.photo:
        photo = loader.photo(schema.PhotoOptions(), book.cover.photo, file, smap, ("cover", "photo"))
    return CoverSettings(photo, book.cover.back_text)


def _load_book(loader: _Loader, book_file: Path):
    file = loader.rel(book_file)
    try:
        data, smap = load_yaml(book_file)
    except YamlProblem as exc:
        loader.error_at(file, (exc.line, exc.column), exc.message, exc.hint)
        return None, file, SourceMap()
    if not isinstance(data, dict):
        loader.error_at(file, (1, 1), "book.yaml must be a mapping of keys (title:, chapters:, ...)")
        return None, file, smap
    return loader.validate(schema.BookSchema, data, file, smap), file, smap


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


class _ChapterReader:
    """One chapter file -> Chapter, reporting against that file."""

    def __init__(self, loader: _Loader, file: str, smap: SourceMap) -> None:
        self.loader, self.file, self.smap = loader, file, smap

    def ref(self, path: tuple) -> SourceRef:
        return SourceRef(self.file, *self.smap.where(path))

    def read(self, data: dict) -> Chapter | None:
        head = dict(data)
        raw_blocks = head.pop("blocks", [])
        top = self.loader.validate(schema.ChapterSchema, head, self.file, self.smap)
        if not isinstance(raw_blocks, list):
            self.loader.error_at(self.file, self.smap.where(("blocks",)), "'blocks' must be a list",
                                 "start each block with '- ' on its own line")
            raw_blocks = []
        blocks = []
        for index, raw in enumerate(raw_blocks):
            block = self.block(raw, ("blocks", index))
            if block is not None:
                blocks.append(block)
        if top is None:
            return None
        opener = None
        if top.opener:
            opener = self.loader.photo(top.opener, top.opener.photo, self.file, self.smap, ("opener", "photo"))
        return Chapter(top.title, tuple(blocks), SourceRef(self.file, 1, 1), top.subtitle, opener)

    def block(self, raw: Any, path: tuple):
        where = self.smap.where(path)
        if not isinstance(raw, dict):
            self.loader.error_at(self.file, where, "a block must be a mapping such as 'text: ...' or 'photo: ...'",
                                 f"known block kinds: {', '.join(schema.BLOCK_KINDS)}")
            return None
        kind = next((k for k in BLOCK_PRIORITY if k in raw), None)
        if kind is None:
            first = next(iter(raw), "")
            self.loader.error_at(self.file, self.smap.where(path + (first,)), f"unknown block kind '{first}'",
                                 did_you_mean(str(first), schema.BLOCK_KINDS)
                                 or f"a block starts with one of: {', '.join(schema.BLOCK_KINDS)}")
            return None
        model = schema.BLOCK_KINDS[kind]
        parsed = self.loader.validate(model, raw, self.file, self.smap, path)
        if parsed is None:
            return None
        return getattr(self, f"_{kind}")(parsed, path)

    def _text(self, b: schema.TextBlockSchema, path: tuple):
        return TextBlock(_paragraphs(b.text), self.ref(path))

    def _heading(self, b: schema.HeadingBlockSchema, path: tuple):
        return HeadingBlock(b.heading.strip(), self.ref(path), b.toc)

    def _quote(self, b: schema.QuoteBlockSchema, path: tuple):
        if isinstance(b.quote, str):
            return QuoteBlock(b.quote.strip(), None, self.ref(path))
        return QuoteBlock(b.quote.text.strip(), b.quote.source, self.ref(path))

    def _pagebreak(self, b: schema.BreakBlockSchema, path: tuple):
        return BreakBlock(b.pagebreak, self.ref(path))

    def _photo(self, b: schema.PhotoBlockSchema, path: tuple):
        photo = self.loader.photo(b, b.photo, self.file, self.smap, path + ("photo",))
        return PhotoBlock(photo, self.ref(path)) if photo else None

    def _slots(self, slots: dict[str, schema.SlotSchema], path: tuple) -> tuple:
        fills = []
        for name, slot in slots.items():
            photo = None
            if slot.photo:
                photo = self.loader.photo(slot, slot.photo, self.file, self.smap, path + ("slots", name, "photo"))
            fills.append((name, SlotFill(photo, slot.caption if slot.caption is not None else
                                         (photo.caption if photo else None), slot.text)))
        return tuple(fills)

    def _page(self, b: schema.PageBlockSchema, path: tuple):
        return TemplatePageBlock(b.page, self._slots(b.slots, path), self.ref(path + ("page",)), spread=False)

    def _spread(self, b: schema.SpreadBlockSchema, path: tuple):
        return TemplatePageBlock(b.spread, self._slots(b.slots, path), self.ref(path + ("spread",)), spread=True)

    def _photoset(self, b: schema.PhotoSetBlockSchema, path: tuple):
        where = self.smap.where(path + ("photoset",))
        folder = self.loader.resolve(b.photoset, self.file, where, "photo set folder", must_be_dir=True)
        if folder is None:
            return None
        photos, title, text, layout = PhotoSetReader(self.loader, folder).read()
        if not photos:
            self.loader.error_at(self.file, where, f"photo set folder '{b.photoset}' holds no images",
                                 "add JPEG, PNG, TIFF or WebP files to it")
            return None
        return PhotoSetBlock(b.photoset, tuple(photos), self.ref(path), b.title or title, b.text or text,
                             b.layout if b.layout != "auto" else (layout or "auto"))


def _natural_key(path: Path) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


class PhotoSetReader:
    """A photo set folder (+ optional photoset.yaml) -> its photos in order."""

    def __init__(self, loader: _Loader, folder: Path) -> None:
        self.loader, self.folder = loader, folder

    def read(self):
        files = sorted((p for p in self.folder.iterdir()
                        if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")), key=_natural_key)
        meta_file = next((self.folder / n for n in ("photoset.yaml", "photoset.yml")
                          if (self.folder / n).is_file()), None)
        entries: dict[str, tuple[int, schema.PhotoEntrySchema]] = {}
        title = text = layout = None
        if meta_file is not None:
            file = self.loader.rel(meta_file)
            try:
                data, smap = load_yaml(meta_file)
            except YamlProblem as exc:
                self.loader.error_at(file, (exc.line, exc.column), exc.message, exc.hint)
                return [], None, None, None
            parsed = self.loader.validate(schema.PhotoSetFileSchema, data, file, smap)
            if parsed is None:
                return [], None, None, None
            title, text, layout = parsed.title, parsed.text, parsed.layout
            names = {p.name for p in files}
            for index, entry in enumerate(parsed.photos):
                if entry.file not in names:
                    self.loader.error_at(file, smap.where(("photos", index, "file")),
                                         f"photo '{entry.file}' is not in the folder",
                                         did_you_mean(entry.file, names) or "check the file name")
                    continue
                order = entry.order if entry.order is not None else index
                entries[entry.file] = (order, entry, smap.where(("photos", index)), file)
        listed = sorted((e for e in entries.items()), key=lambda item: item[1][0])
        ordered = [self.folder / name for name, _ in listed] + [p for p in files if p.name not in entries]
        photos = []
        for path in ordered:
            rel = self.loader.rel(path)
            if path.name in entries:
                _, entry, where, file = entries[path.name]
            else:
                entry, where, file = schema.PhotoEntrySchema(file=path.name), (0, 0), rel
            info = self.loader.image(path, file, where)
            if info is None:
                continue
            photos.append(Photo(info, entry.caption if entry.caption is not None else info.description,
                                entry.credit, entry.fit, tuple(entry.focus) if entry.focus else (0.5, 0.5),
                                SourceRef(file, *where)))
        return photos, title, text, layout


def load_manuscript(root: Path, printer: str | None = None) -> Manuscript:
    """Read and validate the manuscript in `root`; raise ManuscriptError listing every problem."""
    loader = _Loader(root)
    book_file = find_book_file(loader.root)
    if book_file is None:
        loader.diag.error("no book.yaml in this folder", str(root), hint="run 'bookpress init DIR' to start a book,"
                          " or give the manuscript folder as the argument")
        loader.diag.raise_if_errors()
    book, file, smap = _load_book(loader, book_file)
    if book is None:
        loader.diag.raise_if_errors()
    preset_name = printer or book.printer
    if preset_name not in PRESETS:
        loader.error_at(file, smap.where(("printer",)), f"unknown printer preset '{preset_name}'",
                        did_you_mean(preset_name, PRESETS) or f"choose one of: {', '.join(PRESETS)}")
        preset_name = "generic"
    preset = PRESETS[preset_name]
    if book.isbn and not _isbn_ok(book.isbn):
        loader.error_at(file, smap.where(("isbn",)), f"ISBN '{book.isbn}' is not valid (its check digit is wrong)",
                        "copy the ISBN again from your agency's record")
    font_folders = tuple(p for p in [loader.root / "fonts"] if p.is_dir())
    try:
        families = load_fonts(list(font_folders)).families
    except FontError as exc:
        loader.diag.error(str(exc).replace(str(loader.root) + "/", ""), "fonts",
                          hint="remove or replace the font file")
        families = []
    style = _style(loader, book.style, file, smap, families)
    page_format = _format(loader, book, preset, file, smap)
    print_settings = _print_settings(loader, book, preset, file, smap)
    cover = _cover(loader, book, file, smap)
    chapters = []
    for index, chapter_path in enumerate(book.chapters):
        chapter = _load_chapter(loader, chapter_path, file, smap.where(("chapters", index)))
        if chapter is not None:
            chapters.append(chapter)
    loader.diag.raise_if_errors()
    meta = BookMeta(
        title=book.title.strip(), subtitle=book.subtitle, author=book.author, publisher=book.publisher,
        isbn=book.isbn, language=book.language, edition=None if book.edition is None else str(book.edition),
        year=None if book.year is None else str(book.year), copyright=book.copyright, dedication=book.dedication,
    )
    return Manuscript(
        root=loader.root, meta=meta, format=page_format, style=style, print=print_settings,
        chapters=tuple(chapters), front_matter=tuple(book.front_matter), back_matter=tuple(book.back_matter),
        layout_folders=tuple(p for p in [loader.root / "layouts"] if p.is_dir()), font_folders=font_folders,
        cover=cover,
    )


def _load_chapter(loader: _Loader, chapter_path: str, book_file: str, where: tuple[int, int]) -> Chapter | None:
    path = loader.resolve(chapter_path, book_file, where, "chapter file")
    if path is None:
        return None
    file = loader.rel(path)
    try:
        data, smap = load_yaml(path)
    except YamlProblem as exc:
        loader.error_at(file, (exc.line, exc.column), exc.message, exc.hint)
        return None
    if not isinstance(data, dict):
        loader.error_at(file, (1, 1), "a chapter file must be a mapping (title:, blocks:, ...)")
        return None
    return _ChapterReader(loader, file, smap).read(data)
