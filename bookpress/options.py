"""Manuscript + printer preset + command line -> BuildOptions: every setting of one build, resolved once.

Like Black's `Mode`, one frozen object carries what the stages need to know beyond the
manuscript itself: the printer's preset, how images are rendered, how the PDF is pressed,
the document's date, where the outputs and caches go. The pipeline builds it right after
loading; no stage looks a preset up or derives a setting again.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, Optional

from . import __version__
from .diagnostics import UsageError
from .load.printers import PRESETS, OutputCondition, Preset
from .load.sources import BUILD_FOLDER, manuscript_hash, source_date
from .model import Manuscript

PROOF_PPI = 150  # screen resolution: sharp on a monitor, a fraction of the print file's size
HASH_LENGTH = 12  # hex digits of the build identity shown; enough to tell builds apart, short enough to read aloud


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Request:
    """What the command line asked for; everything else comes from the manuscript."""

    printer: Optional[str] = None  # overrides book.yaml's printer
    jobs: int = field(default_factory=usable_cores)  # image worker processes
    cache: bool = True  # False: read and write no cache (probes, prepared images)
    cache_limit: int = 2 << 30  # bytes of prepared images kept between builds (least recently used go)
    output: Optional[Path] = None  # -o: where the PDF goes (default: build/<slug>.pdf)
    edition: Optional[str] = None  # one of book.yaml's editions (default: the book as book.yaml states it)


@dataclass(frozen=True)
class RenderSettings:
    """How placed images are prepared and drawn."""

    ppi: int = 300
    colour: Literal["rgb", "cmyk"] = "rgb"  # what placed images are converted to
    profile: Optional[Path] = None  # the CMYK output profile, for colour == "cmyk"
    quality: int = 90
    links: bool = True  # link annotations (PDF/X forbids them inside the bleed box)
    intent: Literal["relative", "perceptual"] = "relative"  # relative: colorimetric + black point compensation
    ink_limit: Optional[int] = None  # total ink (percent) every CMYK pixel keeps to, after encoding too


@dataclass(frozen=True)
class PressSettings:
    """How the drawn PDF is made print-ready."""

    pdfx: Literal["x4", "x1a", "none"] = "none"
    condition: Optional[OutputCondition] = None  # the output intent (pdfx only)
    profile: Optional[Path] = None  # its ICC profile, embedded in the output intent
    marks: bool = False
    links: bool = True  # False: drop every annotation (PDF/X, and printers that refuse them)
    date: Optional[str] = None  # CreationDate and ModDate, a PDF date string

    @property
    def is_pdfx(self) -> bool:
        return self.pdfx != "none" and self.condition is not None and self.profile is not None

    @property
    def tags_rgb(self) -> bool:
        """PDF/X-4 allows RGB images only with a profile that says what they mean (sRGB)."""
        return self.is_pdfx and self.pdfx == "x4"

    @property
    def tags_grey(self) -> bool:
        """PDF/X-4: DeviceGray would print on the black plate alone, much lighter than the photo
        looks; tagged with a grey profile it is separated like X-1a's grey photos."""
        return self.tags_rgb


@dataclass(frozen=True)
class Paths:
    """Where one build writes: the outputs beside each other in build/, and the caches."""

    root: Path
    pdf: Path  # the print PDF
    images: Optional[Path]  # the prepared-image cache; None: this build keeps none
    cache: Optional[Path]  # build/.cache: probes.json and the chapters' and pages' records; None: no cache

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def not_ready(self) -> Path:
        """Where a PDF that failed preflight goes, so that the last good one stays."""
        return self.pdf.with_name(f"{self.pdf.stem}.not-ready{self.pdf.suffix}")

    @property
    def report(self) -> Path:
        """build/<slug>.pdf -> build/<slug>.preflight.json"""
        return self.pdf.with_name(self.pdf.stem + ".preflight.json")

    def sibling(self, suffix: str) -> Path:
        """build/<slug><suffix>.pdf, e.g. '-cover' or '-proof'."""
        return self.pdf.with_name(f"{self.pdf.stem}{suffix}{self.pdf.suffix}")


@dataclass(frozen=True)
class BuildIdentity:
    """What a proof page prints so that two printouts can be told apart: content hash, version, date."""

    content_hash: str
    version: str
    created: datetime

    @property
    def short_hash(self) -> str:
        return self.content_hash[:HASH_LENGTH]

    @property
    def stamp(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M")

    def mark(self) -> str:
        return f"PROOF  {self.stamp}  ·  build {self.short_hash}  ·  bookpress {self.version}"


@dataclass(frozen=True)
class BuildOptions:
    preset: Preset
    render: RenderSettings
    press: PressSettings
    paths: Paths
    date: datetime  # the manuscript's last change (or SOURCE_DATE_EPOCH): the document's date
    jobs: int = 1
    cache_limit: int = 2 << 30

    def identity(self, manuscript: Manuscript, now: Optional[datetime] = None) -> BuildIdentity:
        """What a proof prints: a hash of every source file (read only when asked), the version, the date."""
        return BuildIdentity(manuscript_hash(manuscript), __version__, now or proof_time())

    def for_proof(self) -> BuildOptions:
        """The reviewer's copy: RGB at screen resolution, links kept, no PDF/X, same pages."""
        return replace(self, render=RenderSettings(ppi=PROOF_PPI, colour="rgb", links=True),
                       press=PressSettings(links=True, date=self.press.date))


def build_options(manuscript: Manuscript, request: Request = Request()) -> BuildOptions:
    settings = manuscript.print
    preset = PRESETS[settings.printer]  # load has checked the name
    x1a = settings.pdfx == "x1a"
    # A manuscript's own press profile was checked at load: a CMYK output profile.
    condition = custom_condition(settings.profile) if settings.profile else preset.output
    profile = settings.profile or preset.profile_path
    links = settings.pdfx == "none" and preset.annotations_allowed
    date = source_date(manuscript.root)
    render = RenderSettings(ppi=settings.ppi, colour="cmyk" if x1a else "rgb", profile=profile, links=links,
                            intent=settings.intent, ink_limit=settings.ink_limit if x1a else None)
    press = PressSettings(settings.pdfx, condition, profile, settings.marks, links, pdf_date(date))
    root = manuscript.root
    cache = cache_folder(root)
    # Every edition has a name of its own in build/, and all of them share the one cache.
    name = slug(manuscript.meta.title) + (f"-{manuscript.edition}" if manuscript.edition else "")
    default = root / BUILD_FOLDER / f"{name}.pdf"
    pdf = output_path(root, request.output) if request.output else default
    paths = Paths(root, pdf, cache / IMAGES if request.cache else None, cache if request.cache else None)
    return BuildOptions(preset, render, press, paths, date, request.jobs, request.cache_limit)


# The cache's folders (under build/.cache): prepared photos, chapters laid out (each chapter's paragraphs
# in a folder inside), pages drawn, and the pages preflight found clean.
IMAGES, LAYOUT_RECORDS, PARAGRAPH_RECORDS, PAGE_RECORDS, CHECK_RECORDS = "images", "layout", "paragraphs", "pages", \
    "checks"
CACHE_FOLDERS = (IMAGES, LAYOUT_RECORDS, f"{LAYOUT_RECORDS}/{PARAGRAPH_RECORDS}", PAGE_RECORDS, CHECK_RECORDS)


def cache_folder(root: Path) -> Path:
    """build/.cache: prepared images and probes, kept between builds (deleting it is always safe).

    bookpress writes, and prunes, only inside the manuscript folder: a build/ (or cache) that is a
    symbolic link leading out of it is refused, since a prune deletes files there by their names.
    """
    root = Path(root).resolve()
    build = root / BUILD_FOLDER
    for folder in (build, build / ".cache", *(build / ".cache" / name for name in CACHE_FOLDERS)):
        if folder.is_symlink() and not folder.resolve().is_relative_to(root):
            raise UsageError(f"'{folder.relative_to(root)}' is a symbolic link that leads outside the manuscript "
                             f"folder (to '{folder.resolve()}')",
                             f"remove the link (bookpress makes '{folder.relative_to(root)}' itself); "
                             "to write the PDF elsewhere, use -o")
    return build / ".cache"


def output_path(root: Path, output: Path) -> Path:
    """-o OUT.pdf, refused when writing it would replace one of the manuscript's own files.

    Anything in the manuscript folder but build/ and hidden files is a source (a chapter, a
    photo, book.yaml). The name itself is not resolved: writing replaces a link there, never
    the file it points to, so only the folder is.
    """
    target = Path(output).expanduser()
    where = Path(os.path.abspath(target.parent)).resolve() / target.name
    root = Path(root).resolve()
    inside = where.is_relative_to(root) and not where.is_relative_to(root / BUILD_FOLDER)
    if inside and os.path.lexists(where) and not where.is_dir() and not where.name.startswith("."):
        raise UsageError(f"the output '{output}' is one of the manuscript's own files; writing the PDF there "
                         "would destroy it",
                         f"leave out -o to write into {BUILD_FOLDER}/, or give the name of a new file")
    return target


def custom_condition(profile: Path) -> OutputCondition:
    """A manuscript's own press profile, named in the output intent by its description."""
    from PIL import ImageCms  # only manuscripts that name their own profile pay for the import

    try:
        description = ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(profile))).strip()
    except (OSError, ImageCms.PyCMSError):
        description = ""
    # "Custom": a condition no registry lists; the RegistryName still names the ICC's registry,
    # where such an identifier would be looked up, as PDF/X readers expect a non-empty one.
    return OutputCondition(profile.name, "Custom", description or profile.stem)


# Cyrillic and Greek letters as Latin ones (BGN/PCGN and ELOT 743, simplified): a Russian or Greek title
# names its file rather than leaving it "book.pdf"; and the Latin letters that are no letter plus accent.
_LATIN = str.maketrans({
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye")), "ё": "yo", "ж": "zh", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "", "ю": "yu", "я": "ya",
    "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
    **dict(zip("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstyfo")), "θ": "th", "χ": "ch", "ψ": "ps",
    # Latin letters that are not a letter and an accent, which NFKD would leave (and ASCII then drop)
    "æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d", "ł": "l", "đ": "d", "ı": "i", "ħ": "h",
})


def slug(title: str) -> str:
    # й, ё and ї are letters of their own (translated whole); Greek ά is α with an accent (translated bare)
    bare = "".join(c for c in unicodedata.normalize("NFKD", title.lower().translate(_LATIN))
                   if not unicodedata.combining(c))
    ascii_title = bare.translate(_LATIN).encode("ascii", "ignore").decode()
    # Cut at a word: a file name must stay under the file system's 255 bytes, and readable.
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return (words if len(words) <= 80 else words[:81].rsplit("-", 1)[0]).strip("-")[:80] or "book"


def pdf_date(moment: datetime) -> str:
    """A PDF date string (ISO 32000 7.9.4) in UTC."""
    return moment.astimezone(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")


def proof_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds and tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now().astimezone()
