"""layouts/*.yaml -> a TemplateSet: named page templates with their frames.

A frame's box is x, y, width, height measured from the top-left of its area:
`live` (inside the margins), `trim` (the page edge) or `bleed` (the page plus its
bleed). A two-page template (a spread) measures across both pages side by side.
A template may also set its photo frames in flexible rows or columns (`flex:`):
their sizes are solved at layout time from the photos' own shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import DATA
from ..diagnostics import Diagnostics, did_you_mean
from ..geometry import LengthError, Rect, parse_length
from .files import leads_out
from .schema.errors import report_validation
from .yamlsrc import YamlProblem, load_yaml

BUNDLED_LAYOUTS = DATA / "layouts"
FrameKind = Literal["photo", "caption", "text", "title"]
Area = Literal["live", "trim", "bleed"]
Suit = Literal["any", "landscape", "portrait"]


Length = Union[str, float]
Box = tuple[Length, Length, Length, Length]
DEFAULT_GAP = "4mm"


class _FrameSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    kind: FrameKind
    box: Optional[Box] = None  # None only for a frame of a flex group (or a caption of one)
    area: Area = "live"
    for_: Optional[str] = Field(None, alias="for")
    align: Literal["left", "center", "right", "justify"] = "left"


class _FlexSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rows: Optional[list[list[str]]] = None
    columns: Optional[list[list[str]]] = None
    box: Box = (0, "0", "100%", "100%")
    gap: Length = DEFAULT_GAP
    align: Literal["top", "center"] = "top"


class _TemplateSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    pages: Literal[1, 2] = 1
    suits: list[Suit] = []
    folio: Optional[bool] = None
    flex: Optional[_FlexSchema] = None
    frames: dict[str, _FrameSchema]


@dataclass(frozen=True)
class Flex:
    """Photo frames set in justified rows (or columns): one gap between photos both ways, no crop.

    Each row's height (each column's width) is solved from its photos' aspect ratios
    so the row spans the box; rows that together overflow the box are scaled down.
    """

    direction: Literal["rows", "columns"]
    groups: tuple[tuple[str, ...], ...]  # frame names, row by row (column by column)
    box: tuple[Length, ...]  # the part of the live area the rows fill
    gap: float  # points
    align: str = "top"  # where a block shorter than the box hangs: its top, or centred

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for group in self.groups for name in group)

    def region(self, area: Rect) -> Rect:
        x, y, w, h = (parse_length(value, percent_of=extent)
                      for value, extent in zip(self.box, (area.width, area.height, area.width, area.height)))
        return Rect(area.x + x, area.y + y, w, h)


@dataclass(frozen=True)
class Frame:
    name: str
    kind: FrameKind
    box: Optional[tuple[Union[str, float], ...]]  # None: placed by the template's flex rows
    area: Area = "live"
    caption_for: Optional[str] = None
    align: str = "left"
    where: tuple[int, int] = (1, 1)  # line, column of the frame in its template file


    def rect(self, area: Rect) -> Rect:
        """The frame's rectangle in page (or spread) coordinates, given its area's rectangle (fixed frames only)."""
        if self.box is None:
            raise ValueError(f"frame '{self.name}' is placed by its template's flex rows")
        x, y, w, h = (
            parse_length(value, percent_of=extent)
            for value, extent in zip(self.box, (area.width, area.height, area.width, area.height))
        )
        return Rect(area.x + x, area.y + y, w, h)


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    pages: int
    suits: tuple[str, ...]
    frames: tuple[Frame, ...]
    source: str
    folio: bool = True
    flex: Optional[Flex] = None

    def is_flex(self, frame: Frame) -> bool:
        """A frame whose rectangle is solved from the photos: a flex photo frame or its caption."""
        if self.flex is None:
            return False
        return (frame.caption_for if frame.kind == "caption" else frame.name) in self.flex.names

    def frame(self, name: str) -> Frame | None:
        return next((f for f in self.frames if f.name == name), None)

    @property
    def photo_frames(self) -> tuple[Frame, ...]:
        return tuple(f for f in self.frames if f.kind == "photo")

    def caption_frame(self, photo_frame: str) -> Frame | None:
        return next((f for f in self.frames if f.kind == "caption" and f.caption_for == photo_frame), None)

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.frames if f.kind in ("photo", "text", "title"))


@dataclass(frozen=True)
class TemplateSet:
    templates: dict[str, Template]

    def get(self, name: str) -> Template | None:
        return self.templates.get(name)

    def names(self) -> list[str]:
        return sorted(self.templates)

    def suggestion(self, name: str) -> str:
        return did_you_mean(name, self.templates) or f"templates: {', '.join(self.names())}"


def _read_template_kept(path: Path, diag: Diagnostics, label: str) -> Template | None:
    """`_read_template`, once per file, label and stat in this process (load and layout both ask for the
    set; a watch asks on every rebuild), its problems told again each time it is asked."""
    try:
        info = path.stat()
    except OSError:
        return _read_template(path, diag, label)
    template, told = _read_once(path, label, info.st_size, info.st_mtime_ns)
    diag.extend(told)
    return template


@lru_cache(maxsize=512)
def _read_once(path: Path, label: str, size: int, mtime_ns: int) -> tuple[Template | None, tuple]:
    own = Diagnostics()
    return _read_template(path, own, label), tuple(own.items)


def _read_template(path: Path, diag: Diagnostics, label: str) -> Template | None:
    try:
        data, smap = load_yaml(path)
    except YamlProblem as exc:
        diag.error(exc.message, label, exc.line, exc.column, exc.hint)
        return None
    try:
        parsed = _TemplateSchema.model_validate(data)
    except ValidationError as exc:
        def report(path: tuple, message: str, hint: str | None, at_value: bool) -> None:
            diag.error(message, label, *(smap.value_at(path) if at_value else smap.where(path)), hint)

        report_validation(exc, _TemplateSchema, data, report)
        return None
    flex = _read_flex(parsed, smap, diag, label)
    flexed = set(flex.names) if flex else set()
    frames = []
    for name, f in parsed.frames.items():
        line, col = smap.where(("frames", name))
        if f.box is None:
            if (f.for_ if f.kind == "caption" else name) not in flexed:
                diag.error(f"frame '{name}' has no box", label, line, col,
                           "give it box: [x, y, width, height], or name it in the template's flex rows")
                continue
        elif not _box_ok(name, f.box, smap, diag, label):
            continue
        frames.append(Frame(name, f.kind, tuple(f.box) if f.box else None, f.area, f.for_, f.align, (line, col)))
    _required_frames(parsed.name, frames, diag, label)
    for frame in frames:
        if frame.kind == "caption" and frame.caption_for and frame.caption_for not in parsed.frames:
            line, col = smap.where(("frames", frame.name, "for"))
            diag.error(f"caption frame '{frame.name}' is for '{frame.caption_for}', which is not a frame", label,
                       line, col,
                       did_you_mean(frame.caption_for, parsed.frames) or f"frames: {', '.join(parsed.frames)}")
    photo_count = sum(1 for f in parsed.frames.values() if f.kind == "photo")  # a broken frame still counts
    if parsed.suits and len(parsed.suits) != photo_count:
        line, col = smap.where(("suits",))
        diag.error(f"'suits' lists {len(parsed.suits)} orientations but the template has {photo_count} photo frames",
                   label, line, col, "give one orientation per photo frame, in frame order")
    folio = parsed.folio if parsed.folio is not None else not any(f.area == "bleed" for f in frames)
    return Template(parsed.name, parsed.description, parsed.pages, tuple(parsed.suits), tuple(frames), label, folio,
                    flex)


def _box_ok(name: str, box: tuple, smap, diag: Diagnostics, label: str) -> bool:
    try:
        sizes = [parse_length(value, percent_of=1.0) for value in box]
    except LengthError as exc:
        line, col = smap.where(("frames", name, "box"))
        diag.error(f"frame '{name}': {exc}", label, line, col, "write x, y, width, height in mm, cm, in, pt or %")
        return False
    if not all(math.isfinite(v) for v in sizes) or sizes[2] <= 0 or sizes[3] <= 0:
        line, col = smap.where(("frames", name, "box"))
        diag.error(f"frame '{name}' has no area (box {list(box)})", label, line, col,
                   "give it a positive width and height: box is [x, y, width, height]")
        return False
    return True


def _read_flex(parsed: _TemplateSchema, smap, diag: Diagnostics, label: str) -> Flex | None:
    """The template's flex rows or columns, each name a photo frame named once; None (reported) if not."""
    spec = parsed.flex
    if spec is None:
        return None
    line, col = smap.where(("flex",))
    if (spec.rows is None) == (spec.columns is None):
        diag.error("flex needs either 'rows' or 'columns'", label, line, col,
                   "write rows: [[a, b], [c]] (photos side by side in each row) or columns: [[a], [b, c]]")
        return None
    direction = "rows" if spec.rows is not None else "columns"
    groups = tuple(tuple(group) for group in (spec.rows or spec.columns or []) if group)
    photo_frames = [name for name, f in parsed.frames.items() if f.kind == "photo"]
    seen: set[str] = set()
    for name in (name for group in groups for name in group):
        if name not in photo_frames or name in seen:
            problem = "is named twice" if name in seen else "is not a photo frame of this template"
            diag.error(f"flex {direction}: '{name}' {problem}", label, *smap.where(("flex", direction)),
                       did_you_mean(name, photo_frames) or f"photo frames: {', '.join(photo_frames) or 'none'}")
            return None
        seen.add(name)
    if not groups or not _box_ok("flex", spec.box, smap, diag, label):
        if not groups:
            diag.error(f"flex {direction} are empty", label, line, col, "name the photo frames to set in them")
        return None
    try:
        gap = parse_length(spec.gap)
    except LengthError as exc:
        diag.error(f"flex gap: {exc}", label, *smap.where(("flex", "gap")), "write it in mm, cm, in or pt")
        return None
    return Flex(direction, groups, tuple(spec.box), gap, spec.align)


# The layout engine places chapter titles and running text through these templates' frames.
REQUIRED_KINDS = {"chapter-opener": ("photo", "title"), "text": ("text",)}


def _required_frames(name: str, frames: list[Frame], diag: Diagnostics, label: str) -> None:
    for kind in REQUIRED_KINDS.get(name, ()):
        if not any(f.kind == kind for f in frames):
            diag.error(f"template '{name}' needs a frame of kind '{kind}'", label, 1, 1,
                       f"add one, or give your template another name than the built-in '{name}'")


def load_templates(extra_folders: tuple[Path, ...] = (), diag: Diagnostics | None = None,
                   root: Path | None = None) -> TemplateSet:
    """The bundled templates, overridden or extended by each extra folder's (a manuscript's layouts/)."""
    own = diag is None
    diag = diag or Diagnostics()
    templates: dict[str, Template] = {}
    for folder in (BUNDLED_LAYOUTS, *extra_folders):
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            label = str(path.relative_to(root)) if root and path.is_relative_to(root) else f"layouts/{path.name}"
            escape = leads_out(path, root) if root and folder != BUNDLED_LAYOUTS else None
            if escape is not None:  # as for photos: a manuscript's templates are its own files
                diag.error(f"template file {escape}", label, hint="copy the template into layouts/ itself")
                continue
            template = _read_template_kept(path, diag, label)
            if template:
                templates[template.name] = template
    if own:
        diag.raise_if_errors()
    return TemplateSet(templates)
