"""Proof pages + laid-out book -> a review folder (index.html, thumbnails, page views, review.json).

The folder is self-contained: open index.html in a browser, or copy the folder
to a reviewer. review.json remembers what this proof was, so that the next proof
can list the pages that changed since.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ...book import LaidOutBook
from ...images.softproof import Simulation
from ...model import Manuscript
from ...options import BuildIdentity, BuildOptions
from .findings import Findings, collect_findings
from .html import ReviewDoc, ReviewPage, render_html
from .renders import Region, changed_region, image_names, render_layers, render_pages

MANIFEST = "review.json"

__all__ = ["Findings", "Review", "write_review"]


@dataclass(frozen=True)
class Review:
    index: Path  # index.html
    changed: tuple[str, ...]  # labels of pages changed since the previous proof (empty for a first proof)
    first: bool  # no previous proof to compare with


def write_review(folder: Path, pages_pdf: Path, proof_pdf: Path, manuscript: Manuscript, options: BuildOptions,
                 book: LaidOutBook, identity: BuildIdentity, simulation: Optional[Simulation] = None,
                 progress: Optional[Callable[[int, int], None]] = None) -> Review:
    """Write the review folder for the unmarked pages `pages_pdf`, replacing the previous one whole."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(new, 0o777 & ~umask)  # mkdtemp makes a private folder; a report is for sharing
    try:
        images = render_pages(pages_pdf, new, progress)
        if simulation is not None:
            images = render_layers(book, images, simulation, new)
        previous = _read_manifest(folder)
        changes = [_compare(new, folder, i, previous) for i in range(len(book.pages))]
        findings = collect_findings(manuscript, options, book, pages_pdf, simulation,
                                    {i: region for i, region in enumerate(changes) if region}, _describe(previous))
        pages = tuple(ReviewPage(page, image, change, findings.on_page(page.index))
                      for page, image, change in zip(book.pages, images, changes))
        doc = ReviewDoc(book, pages, findings, identity.mark(), _relative(proof_pdf, folder),
                        _describe(previous), max(0, len(previous.get("pages", [])) - len(pages)) if previous else 0,
                        simulation.condition if simulation is not None else None,
                        simulation.ink_limit if simulation is not None else None, manuscript.edition,
                        _colour_change(previous, simulation))
        (new / "index.html").write_text(render_html(doc), encoding="utf-8")
        _write_manifest(new / MANIFEST, book, identity, simulation)
        _swap(new, folder)
    finally:
        if new.exists():
            shutil.rmtree(new, ignore_errors=True)
    changed = tuple(p.page.label for p in pages if p.change)
    return Review(folder / "index.html", changed, previous is None)


def _compare(new: Path, old: Path, index: int, previous: Optional[dict]) -> Optional[Region]:
    if previous is None:
        return None
    _, view = image_names(index)
    if not (old / view).is_file():
        return Region(0.0, 0.0, 1.0, 1.0)  # a page the previous proof did not have
    return changed_region(new / view, old / view)


def _read_manifest(folder: Path) -> Optional[dict]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_manifest(path: Path, book: LaidOutBook, identity: BuildIdentity, simulation: Optional[Simulation]) -> None:
    data = {"title": book.meta.title, "build": identity.content_hash, "bookpress": identity.version,
            "created": identity.created.isoformat(), "pages": [p.label for p in book.pages],
            "soft_proof": simulation.condition if simulation is not None else None}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _colour_change(previous: Optional[dict], simulation: Optional[Simulation]) -> Optional[str]:
    """Why every photo page may differ from the previous proof: the photos were shown another way."""
    if previous is None:
        return None
    before, now = previous.get("soft_proof"), simulation.condition if simulation is not None else None
    if before == now:
        return None
    shown = (lambda condition: f"soft-proofed for {condition}" if condition else "in screen colours")
    return (f"The previous proof showed the photos {shown(before)}, this one {shown(now)}: pages with photos "
            "differ for that reason alone.")


def _describe(previous: Optional[dict]) -> Optional[str]:
    if previous is None:
        return None
    created = str(previous.get("created", ""))[:16].replace("T", " ")
    return f"the proof of {created} (build {str(previous.get('build', '?'))[:12]})"


def _relative(target: Path, folder: Path) -> str:
    return Path(os.path.relpath(target.resolve(), folder.resolve())).as_posix()


def _swap(new: Path, folder: Path) -> None:
    """Put the new folder in place of the old; a reader sees one or the other, never a mix for long."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
        os.replace(folder, old)
    os.replace(new, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
