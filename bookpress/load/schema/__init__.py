"""The manuscript's YAML vocabulary as pydantic models: what keys exist and their types.

These models only check shape; `manuscript.py` turns them into the frozen model of
`model.py` (resolving paths, lengths and images). The same models give the JSON
Schema that editors use to complete and validate book.yaml and chapter files.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

FrontMatterPart = Literal["half-title", "title", "copyright", "dedication", "toc"]
BackMatterPart = Literal["photo-credits", "colophon"]


class Strict(BaseModel):
    # YAML reads `title: 1984` or `isbn: 9780306406157` as numbers; they are text to the author.
    # defer_build: a model's validator is made when it first validates, not when its class is made; only
    # the files' top models ever validate (the others are parts of their schemas), so ~30 validators are
    # not built on every run (~45 ms of each compile, a rebuild's included).
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True, defer_build=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


# Text that is printed on its own (a heading, a paragraph): blank is a mistake, and layout needs something to set.
Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
# Titles are set large on one page: beyond this length they cannot fit, whatever the layout.
Title = Annotated[str, Field(min_length=1, max_length=150), AfterValidator(_not_blank)]
Heading = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_not_blank)]
Line = Annotated[str, Field(max_length=200)]  # a name set on one or two centred lines


Length = Union[str, float, int]


class MarginsSchema(Strict):
    inside: Optional[Length] = None
    outside: Optional[Length] = None
    top: Optional[Length] = None
    bottom: Optional[Length] = None


class FormatSchema(Strict):
    trim: str = Field("a4", description="a4, a4-landscape, us-letter, 8x10in, 210x280mm, 8.5in x 11in ...")
    bleed: Optional[Length] = None
    margins: MarginsSchema = MarginsSchema()


class PrintSchema(Strict):
    pdfx: Optional[Literal["x4", "x1a", "none"]] = None
    profile: Optional[str] = Field(None, description="the printer's CMYK output ICC profile, inside the manuscript")
    marks: Optional[bool] = None
    ppi: Optional[int] = Field(None, ge=72, le=1200)
    min_ppi: Optional[int] = Field(None, ge=50, le=1200)
    caliper: Optional[float] = Field(None, gt=0, description="paper thickness per page in inches, for the spine")
    intent: Optional[Literal["relative", "perceptual"]] = Field(
        None, description="CMYK separation of photos: relative (relative colorimetric with black point "
                          "compensation, the default) or perceptual")
    ink_limit: Optional[int] = Field(None, ge=100, le=400, description="total ink in percent that CMYK "
                                     "separations keep to (default: the printer's)")


FeatureTag = Annotated[str, Field(pattern=r"^-?[A-Za-z0-9 ]{4}$", description="an OpenType feature tag such as "
                                  "ss01; a leading '-' turns a default feature off (-liga)")]
HeadingLevel = Literal["chapter", "section", "photoset", "subsection"]


class TextStyleSchema(Strict):
    font: Optional[str] = None
    size: Optional[Length] = None
    leading: Optional[Length] = None
    weight: Optional[Literal["regular", "bold"]] = None
    italic: Optional[bool] = None
    case: Optional[Literal["normal", "upper"]] = Field(None, description="upper: set in capitals (labels)")
    tracking: Optional[Union[str, float]] = Field(None, description="letter-spacing in ems, e.g. 0.1 or 0.1em")
    numerals: Optional[Literal["default", "oldstyle", "lining"]] = Field(
        None, description="old-style or lining figures, where the font has both")
    features: Optional[list[FeatureTag]] = None


class StyleSchema(Strict):
    body: TextStyleSchema = TextStyleSchema()
    caption: TextStyleSchema = TextStyleSchema()
    heading: TextStyleSchema = Field(TextStyleSchema(), description="section headings (`- heading:`)")
    subheading: TextStyleSchema = Field(TextStyleSchema(), description="subsection headings (`level: 2`)")
    photoset: TextStyleSchema = Field(TextStyleSchema(), description="a photo set's title")
    title: TextStyleSchema = Field(TextStyleSchema(), description="chapter titles")
    chapter_label: TextStyleSchema = Field(TextStyleSchema(), description="the label over a chapter title")
    folio: Literal["bottom-outside", "bottom-center", "top-outside", "none"] = "bottom-outside"
    running_heads: bool = True
    toc_sections: bool = Field(True, description="list section headings in the table of contents")
    toc_levels: Optional[list[HeadingLevel]] = Field(None, description="the headings the contents list: chapter, "
                                                     "section, photoset, subsection")
    justify: bool = True
    measure: Optional[Length] = Field(None, description="the widest line of running text, e.g. 115mm; the text "
                                      "column is centred in the type area, photos keep its full width")
    fallback: Optional[list[str]] = Field(None, description="where a character the font lacks is looked for, in "
                                          "order: font families and manuscript, bookpress, system")
    small_caps: bool = Field(True, description="acronyms such as USSR in small capitals where the font can")
    hyphenate_capitals: Optional[bool] = Field(None, description="divide capitalised words (default: only in "
                                               "German, where every noun is capitalised)")
    opener: Optional[Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        None, description="the template every chapter opens with (chapter-opener, chapter-opener-inset, or "
        "one in layouts/); a chapter without an opener photo keeps its title where the others have it")


WordText = Annotated[str, Field(min_length=1, max_length=400)]


class WordsSchema(Strict):
    """The book's own words, overriding those of its language; {name} marks a value layout fills in."""

    contents: Optional[WordText] = None
    chapter: Optional[WordText] = Field(None, description="the label over a chapter title: 'Chapter {number}'")
    photo_credits: Optional[WordText] = None
    photo: Optional[WordText] = Field(None, description="the credit after a caption the credits list: "
                                      "'Photo: {name}'")
    colophon: Optional[WordText] = None
    colophon_text: Optional[WordText] = Field(None, description="fields: {title}, {fonts}, {version}, {trim}, "
                                              "{paper}")
    published_by: Optional[WordText] = Field(None, description="'Published by {publisher}'")
    edition: Optional[WordText] = Field(None, description="the edition line: '{edition} {year}'")
    rights: Optional[WordText] = None
    typeset: Optional[WordText] = Field(None, description="fields: {version}, {fonts}")
    first_published: Optional[WordText] = Field(None, description="'First published {date}'")
    printed_by: Optional[WordText] = Field(None, description="'Printed by {printer}'")
    printed_in: Optional[WordText] = Field(None, description="'Printed in {country}'")
    credits_line: Optional[WordText] = Field(None, description="the copyright page's pointer to the photo "
                                             "credits; fields: {page}")
    paper_white: Optional[WordText] = Field(None, description="the colophon's name for white paper")
    paper_cream: Optional[WordText] = Field(None, description="the colophon's name for cream paper")
    paper_coated: Optional[WordText] = Field(None, description="the colophon's name for coated paper")
    captions: Optional[WordText] = Field(None, description="heading of the credits' captions not printed with "
                                         "their photos")
    cover: Optional[WordText] = Field(None, description="the cover, in the photo credits")
    positions: Optional[WordText] = Field(None, description="six words, comma-separated: top, middle, bottom, "
                                          "left, centre, right")


class CoverSchema(Strict):
    photo: Optional[str] = None
    back_text: Optional[str] = Field(None, description="the blurb on the back cover; a blank line between "
                                     "paragraphs")
    price: Optional[str] = Field(None, description="the price in the barcode's add-on: USD 24.95, 24.95 USD, "
                                 "$24.95, CAD 29.99, GBP 12.99, or its five digits (52495; 90000: no price)")


class EditionFormatSchema(Strict):
    trim: Optional[str] = Field(None, description="the edition's trim, when it differs from the book's")
    bleed: Optional[Length] = None
    margins: MarginsSchema = MarginsSchema()


# What an edition may change: how the book is printed, never what it says.
EDITION_KEYS = ("printer", "paper", "format", "print", "isbn", "printed_by", "printed_in", "printing")


class EditionSchema(Strict):
    """One output of the manuscript (a printer, a trim): keys given here replace the book's own."""

    printer: Optional[str] = None
    paper: Optional[Literal["white", "cream", "coated"]] = None
    format: EditionFormatSchema = EditionFormatSchema()
    print: PrintSchema = PrintSchema()
    isbn: Optional[str] = None
    printed_by: Optional[Line] = Field(None, description="this edition's printer")
    printed_in: Optional[Line] = Field(None, description="where this edition is printed")
    printing: Optional[int] = Field(None, ge=1, le=10, description="this edition's printing")


class BookSchema(Strict):
    title: Title
    subtitle: Optional[Heading] = None
    author: Optional[Line] = None
    publisher: Optional[Line] = None
    isbn: Optional[str] = None
    language: str = "en"
    edition: Optional[Union[str, int]] = None
    year: Optional[Union[str, int]] = None
    publisher_address: Optional[Line] = Field(None, description="printed under the publisher on the copyright page")
    printed_by: Optional[Line] = Field(None, description="the printer's name, for the copyright page")
    printed_in: Optional[Line] = Field(None, description="the country of printing: 'Printed in {printed_in}'")
    printing: int = Field(1, ge=1, le=10, description="which printing this is: the number line ends at it")
    rights: Optional[Annotated[str, Field(min_length=1, max_length=600)]] = Field(
        None, description="the rights statement (default: the language's 'All rights reserved.')")
    # Each is set on a page of its own: beyond these lengths it cannot fit a small trim.
    copyright: Optional[str] = Field(None, max_length=1500)
    dedication: Optional[str] = Field(None, max_length=600)
    date: Optional[str] = Field(None, description="publication date, 2026-03 or 2026-03-15; printed in the "
                                "book's language")
    words: WordsSchema = WordsSchema()
    format: FormatSchema = FormatSchema()
    printer: str = "generic"
    paper: Literal["white", "cream", "coated"] = "white"
    print: PrintSchema = PrintSchema()
    style: StyleSchema = StyleSchema()
    cover: CoverSchema = CoverSchema()
    front_matter: list[FrontMatterPart] = ["half-title", "title", "copyright", "dedication", "toc"]
    chapters: list[str] = Field(min_length=1)
    back_matter: list[BackMatterPart] = ["photo-credits", "colophon"]
    editions: dict[str, EditionSchema] = {}


Focus = tuple[float, float]


class PhotoOptions(Strict):
    caption: Optional[str] = None
    credit: Optional[str] = None
    fit: Literal["fill", "fit"] = "fill"
    focus: Optional[Focus] = None
    repeat: bool = False

    @field_validator("focus")
    @classmethod
    def _focus_inside(cls, value: Optional[Focus]) -> Optional[Focus]:
        if value is not None and not all(0.0 <= v <= 1.0 for v in value):
            raise ValueError(f"expected [x, y] with each between 0 and 1 ([0.5, 0.5] is the centre), "
                             f"got {list(value)}")
        return value


class OpenerSchema(PhotoOptions):
    photo: str


class TextBlockSchema(Strict):
    text: Text


class HeadingBlockSchema(Strict):
    heading: Heading
    level: Literal[1, 2] = Field(1, description="1: a section, 2: a subsection")
    toc: bool = True


class QuoteBody(Strict):
    text: Text
    source: Optional[str] = None


class QuoteBlockSchema(Strict):
    quote: Union[Text, QuoteBody]


class PhotoBlockSchema(PhotoOptions):
    photo: str


class PhotoSetBlockSchema(Strict):
    photoset: str
    layout: str = "auto"
    title: Optional[str] = None
    text: Optional[str] = None


class SlotSchema(PhotoOptions):
    photo: Optional[str] = None
    text: Optional[str] = None


class PageBlockSchema(Strict):
    page: str
    slots: dict[str, SlotSchema] = {}


class SpreadBlockSchema(Strict):
    spread: str
    slots: dict[str, SlotSchema] = {}


class BreakBlockSchema(Strict):
    pagebreak: Literal["any", "recto", "verso"] = "any"

    @field_validator("pagebreak", mode="before")
    @classmethod
    def _bare_break(cls, value: object) -> object:
        return "any" if value is None else value  # `- pagebreak:` alone is a plain break


# The key that names a block's kind -> its schema.
BLOCK_KINDS: dict[str, type[Strict]] = {
    "text": TextBlockSchema,
    "heading": HeadingBlockSchema,
    "quote": QuoteBlockSchema,
    "photo": PhotoBlockSchema,
    "photoset": PhotoSetBlockSchema,
    "page": PageBlockSchema,
    "spread": SpreadBlockSchema,
    "pagebreak": BreakBlockSchema,
}

BlockSchema = Union[tuple(BLOCK_KINDS.values())]  # type: ignore[valid-type]


class ChapterSchema(Strict):
    title: Title
    subtitle: Optional[Heading] = None
    opener: Optional[OpenerSchema] = None
    blocks: list[BlockSchema] = []  # validated one by one in manuscript.py, for precise messages


class PhotoEntrySchema(PhotoOptions):
    file: str
    order: Optional[int] = None


class PhotoSetFileSchema(Strict):
    title: Optional[str] = None
    text: Optional[str] = None
    layout: Optional[str] = None
    photos: list[PhotoEntrySchema] = []
