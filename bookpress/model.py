"""The validated manuscript: frozen data that the load stage hands to layout.

Nothing here touches YAML, pixels, reportlab or the file system: every path is
already resolved and checked, every length is in points, and every image has been
probed (header only) into an ImageInfo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

from .geometry import Sides, Size


@dataclass(frozen=True)
class SourceRef:
    """Where something was written: for error messages that point at the line."""

    file: str  # relative to the manuscript folder, e.g. "chapters/02-europe.yaml"
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class ImageInfo:
    """What the image header says; layout needs nothing more than this."""

    path: Path
    width: int  # pixels, after EXIF orientation
    height: int
    orientation: int  # EXIF orientation tag, 1 = upright
    mode: str  # Pillow mode of the file, e.g. "RGB", "CMYK", "I;16", "P"
    format: str  # "JPEG", "PNG", "TIFF", "WEBP", ...
    has_icc: bool
    digest: str  # content hash of the file, the image cache's key
    description: str | None = None  # embedded caption (EXIF / XMP / IPTC)
    warnings: tuple[str, ...] = ()  # what the image library said while reading it (damaged metadata)
    # Where the subject is (x0, y0, x1, y1 as shares of width and height), found in a thumbnail
    # when the photo was probed; None where nothing stands out (a texture, an even sky).
    subject: tuple[float, float, float, float] | None = None

    @property
    def aspect(self) -> float:
        return self.width / self.height

    @property
    def orientation_class(self) -> Literal["landscape", "portrait"]:
        return "landscape" if self.width >= self.height else "portrait"


@dataclass(frozen=True)
class Photo:
    image: ImageInfo
    caption: str | None = None
    credit: str | None = None
    fit: Literal["fill", "fit"] = "fill"
    focus: tuple[float, float] | None = None  # the author's point kept in view; None: the subject found, or the centre
    source: SourceRef = SourceRef("")
    repeat: bool = False  # the author means this photo to appear again (no repeat warning for this use)


@dataclass(frozen=True)
class TextBlock:
    paragraphs: tuple[str, ...]  # inline markup still in place: layout parses it
    source: SourceRef


@dataclass(frozen=True)
class HeadingBlock:
    text: str
    source: SourceRef
    in_toc: bool = True
    level: int = 1  # 1: a section, 2: a subsection


@dataclass(frozen=True)
class QuoteBlock:
    text: str
    attribution: str | None
    source: SourceRef


@dataclass(frozen=True)
class PhotoBlock:
    photo: Photo
    source: SourceRef


@dataclass(frozen=True)
class PhotoSetBlock:
    folder: str
    photos: tuple[Photo, ...]
    source: SourceRef
    title: str | None = None
    text: str | None = None
    layout: str = "auto"  # or a template name used for every page of the set


@dataclass(frozen=True)
class SlotFill:
    photo: Photo | None = None
    caption: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class TemplatePageBlock:
    """A `page:` (one page) or `spread:` (two facing pages) block from a named template."""

    template: str
    slots: tuple[tuple[str, SlotFill], ...]
    source: SourceRef
    spread: bool = False


@dataclass(frozen=True)
class BreakBlock:
    side: Literal["any", "recto", "verso"]
    source: SourceRef


Block = Union[TextBlock, HeadingBlock, QuoteBlock, PhotoBlock, PhotoSetBlock, TemplatePageBlock, BreakBlock]


@dataclass(frozen=True)
class Chapter:
    title: str
    blocks: tuple[Block, ...]
    source: SourceRef
    subtitle: str | None = None
    opener: Photo | None = None


@dataclass(frozen=True)
class BookMeta:
    title: str
    subtitle: str | None = None
    author: str | None = None
    publisher: str | None = None
    isbn: str | None = None
    language: str = "en"
    edition: str | None = None
    year: str | None = None
    copyright: str | None = None
    dedication: str | None = None
    date: str | None = None  # of publication, ISO (2026-03 or 2026-03-15): printed in the book's language


@dataclass(frozen=True)
class Words:
    """The book's own words (contents, chapter label, credits, colophon, copyright lines) in its language.

    `{name}` fields are filled in by layout; each string can be overridden in book.yaml `words:`.
    """

    language: str = "en"
    contents: str = "Contents"
    chapter: str = "Chapter {number}"
    photo_credits: str = "Photo credits"
    photo: str = "Photo: {name}"
    colophon: str = "Colophon"
    colophon_text: str = "{title} is set in {fonts} and was composed with bookpress {version} as a book of {trim}."
    published_by: str = "Published by {publisher}"
    edition: str = "Edition: {edition}"
    rights: str = "All rights reserved."
    typeset: str = "Typeset with bookpress {version} in {fonts}."
    first_published: str = "First published {date}"

    def say(self, key: str, **values: str) -> str:
        """The string `key` with its fields filled; a field the author left out is simply not shown."""
        text = getattr(self, key)
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text


@dataclass(frozen=True)
class PageFormat:
    trim: Size
    bleed: float  # points, on every side the printer bleeds
    margins: Sides
    bleed_inside: bool = True  # KDP bleeds top, bottom and outside only


@dataclass(frozen=True)
class TextStyle:
    font: str
    size: float
    leading: float
    color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)  # CMYK, 0..1
    weight: Literal["regular", "bold"] = "regular"
    italic: bool = False
    case: Literal["normal", "upper"] = "normal"  # upper: set in capitals, as labels are
    tracking: float = 0.0  # ems of letter-spacing between glyphs
    numerals: Literal["default", "oldstyle", "lining"] = "default"  # where the font has both
    features: tuple[str, ...] = ()  # further OpenType features, e.g. ("ss01",) or ("-liga",)

    @property
    def variant(self) -> str:
        """The face: regular, italic, bold or bolditalic."""
        if self.weight == "bold":
            return "bolditalic" if self.italic else "bold"
        return "italic" if self.italic else "regular"

    @property
    def opentype(self) -> tuple[str, ...]:
        """Every OpenType feature the style asks for ("onum" for old-style figures, "case" for capitals)."""
        extra = {"oldstyle": ("onum",), "lining": ("lnum",)}.get(self.numerals, ())
        if self.case == "upper":
            extra += ("case",)
        return tuple(dict.fromkeys(extra + self.features))


HEADING_LEVELS = ("chapter", "section", "photoset", "subsection")  # what the contents may list


@dataclass(frozen=True)
class Style:
    body: TextStyle = TextStyle("Gentium Book Plus", 10.5, 14.0, numerals="oldstyle")
    caption: TextStyle = TextStyle("Lato", 8.0, 10.5)
    heading: TextStyle = TextStyle("Lato", 13.0, 17.0, weight="bold")  # a section heading
    subheading: TextStyle = TextStyle("Lato", 10.5, 14.0, weight="bold")  # a subsection heading (level 2)
    photoset: TextStyle = TextStyle("Gentium Book Plus", 15.0, 19.0, italic=True)  # a photo set's title
    title: TextStyle = TextStyle("Gentium Book Plus", 30.0, 36.0)  # a chapter's title
    chapter_label: TextStyle = TextStyle("Lato", 8.0, 10.5, case="upper", tracking=0.16)  # "CHAPTER 2"
    folio: Literal["bottom-outside", "bottom-center", "top-outside", "none"] = "bottom-outside"
    running_heads: bool = True
    toc_sections: bool = True
    toc_levels: tuple[str, ...] = ("chapter", "section", "photoset")  # HEADING_LEVELS the contents list
    justify: bool = True
    measure: float | None = None  # points; running text narrower than the type area, centred in it
    fallback: tuple[str, ...] = ("manuscript", "bookpress", "system")  # where a missing character is looked for
    small_caps: bool = True  # acronyms (USSR, CPSU) in small capitals where the body font can
    hyphenate_capitals: bool | None = None  # None: only where nouns are capitalised (German)


@dataclass(frozen=True)
class PrintSettings:
    printer: str = "generic"
    paper: str = "white"
    pdfx: Literal["x4", "x1a", "none"] = "x4"
    profile: Path | None = None  # None: the bundled ISO Coated v2 300%
    marks: bool = False
    ppi: int = 300
    min_ppi: int = 200
    caliper: float | None = None  # paper thickness per page (inches), for the cover's spine
    intent: Literal["relative", "perceptual"] = "relative"  # how photos are separated to CMYK
    ink_limit: int = 300  # total area coverage (percent) CMYK separations keep to
    printer_source: SourceRef | None = None  # where book.yaml (or its edition) names the printer; None: --printer


@dataclass(frozen=True)
class CoverSettings:
    """book.yaml `cover:`: what `bookpress cover` puts on the wrap."""

    photo: Photo | None = None  # the front, full-bleed
    back_text: str | None = None
    price: str | None = None  # the EAN-5 add-on's five digits beside the ISBN's barcode ("52495")
    price_label: str | None = None  # the same price as read: "US$24.95"


@dataclass(frozen=True)
class Manuscript:
    root: Path
    meta: BookMeta
    format: PageFormat
    style: Style
    print: PrintSettings
    chapters: tuple[Chapter, ...]
    front_matter: tuple[str, ...] = ("half-title", "title", "copyright", "dedication", "toc")
    back_matter: tuple[str, ...] = ("photo-credits", "colophon")
    layout_folders: tuple[Path, ...] = field(default=())  # the manuscript's own layouts/, if any
    font_folders: tuple[Path, ...] = field(default=())
    cover: CoverSettings = CoverSettings()
    words: Words = Words()
    unprintable: frozenset[str] = frozenset()  # characters no font has, already reported where they were written
    edition: str | None = None  # the edition of book.yaml this is (None: the book as book.yaml states it)
    editions: tuple[str, ...] = ()  # every edition book.yaml declares

    def all_photos(self) -> list[Photo]:
        photos: list[Photo] = []
        for chapter in self.chapters:
            if chapter.opener:
                photos.append(chapter.opener)
            for block in chapter.blocks:
                if isinstance(block, PhotoBlock):
                    photos.append(block.photo)
                elif isinstance(block, PhotoSetBlock):
                    photos.extend(block.photos)
                elif isinstance(block, TemplatePageBlock):
                    photos.extend(fill.photo for _, fill in block.slots if fill.photo)
        return photos
