"""Compiled books -> a JSON snapshot of what a reader and a printer see, to compare two versions of bookpress.

    python bench/snapshot.py write OUT.json [--bookpress "python -m bookpress"]
    python bench/snapshot.py compare OLD.json NEW.json

`write` compiles, through the command line only (so any version of bookpress can be
compared with any other), the demo manuscript, the `bookpress init` sample, and the
sample once per printer preset (each on a trim that printer takes). For every page it
records the page boxes, every character of the text layer with its box (pdfium, rounded
to 0.01 pt), and every image drawn: the SHA-256 of its stream bytes and the matrix that
places it. `compare` prints each difference and exits 1 if there is any. SOURCE_DATE_EPOCH
is fixed so that dates and IDs are stable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parents[1]
PRESET_TRIMS = {"generic": "a5", "kdp": "6x9in", "ingramspark": "6x9in", "lulu": "6x9in", "blurb": "8x10in"}


def run(command: list[str], cwd: Path) -> None:
    """Run one command; a compile that fails preflight (exit 1 after writing <name>.not-ready.pdf) counts too."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "CI": "1"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1) or (done.returncode == 1 and "not ready for the printer" not in done.stderr):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def written(pdf: Path) -> Path:
    """The PDF a compile wrote: `pdf`, or beside it the build that failed preflight."""
    return pdf if pdf.is_file() else pdf.with_name(f"{pdf.stem}.not-ready{pdf.suffix}")


def books(bookpress: list[str], work: Path) -> dict[str, Path]:
    """Compile every book; name -> PDF."""
    pdfs: dict[str, Path] = {}
    demo = work / "demo"
    shutil.copytree(REPO / "manuscript", demo, ignore=shutil.ignore_patterns("build"))
    run(bookpress + ["compile", str(demo), "-o", str(work / "demo.pdf"), "--no-cache", "-q"], work)
    pdfs["demo"] = work / "demo.pdf"
    sample = work / "sample"
    run(bookpress + ["init", str(sample), "--title", "Sample Book", "-q"], work)
    run(bookpress + ["compile", str(sample), "-o", str(work / "sample.pdf"), "--no-cache", "-q"], work)
    pdfs["init"] = work / "sample.pdf"
    for printer, trim in PRESET_TRIMS.items():
        book = work / f"sample-{printer}"
        shutil.copytree(sample, book, ignore=shutil.ignore_patterns("build"))
        text = (book / "book.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^  trim: .*$", f"  trim: {trim}", text)
        text = re.sub(r"(?m)^printer: .*$", f"printer: {printer}", text)
        (book / "book.yaml").write_text(text, encoding="utf-8")
        out = work / f"{printer}.pdf"
        run(bookpress + ["compile", str(book), "-o", str(out), "--no-cache", "-q"], work)
        pdfs[printer] = written(out)
    return pdfs


def page_text(page: pdfium.PdfPage) -> list[list]:
    text = page.get_textpage()
    chars = []
    for i in range(text.count_chars()):
        box = text.get_charbox(i, loose=False)
        chars.append([text.get_text_range(i, 1)] + [round(v, 2) for v in box])
    text.close()
    return chars


def page_images(page: pikepdf.Page) -> list[list]:
    """[sha256 of the image stream, the matrix that draws it] for each image drawn on the page."""
    found = []
    resources = page.obj.get("/Resources")

    def walk(resources, stream_ops, ctm):
        xobjects = resources.get("/XObject") if resources is not None else None
        stack = [ctm]
        for operands, operator in stream_ops:
            op = str(operator)
            if op == "q":
                stack.append(stack[-1])
            elif op == "Q" and len(stack) > 1:
                stack.pop()
            elif op == "cm":
                a, b, c, d, e, f = (float(v) for v in operands)
                m = stack[-1]
                stack[-1] = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                             e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
            elif op == "Do" and xobjects is not None:
                xobject = xobjects.get(str(operands[0]))
                if xobject is None:
                    continue
                if xobject.get("/Subtype") == pikepdf.Name.Image:
                    digest = hashlib.sha256(xobject.read_raw_bytes()).hexdigest()[:16]
                    found.append([digest, [round(v, 2) for v in stack[-1]]])
                elif xobject.get("/Subtype") == pikepdf.Name.Form:
                    walk(xobject.get("/Resources"), pikepdf.parse_content_stream(xobject), stack[-1])

    walk(resources, pikepdf.parse_content_stream(page), [1, 0, 0, 1, 0, 0])
    return found


def snapshot(pdf_path: Path) -> list[dict]:
    pages = []
    document = pdfium.PdfDocument(str(pdf_path))
    with pikepdf.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            boxes = {name: [round(float(v), 2) for v in page.obj[name]]
                     for name in ("/MediaBox", "/BleedBox", "/TrimBox") if name in page.obj}
            pages.append({"boxes": boxes, "text": page_text(document[index]), "images": page_images(page)})
    document.close()
    return pages


def write(out: Path, bookpress: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="bookpress-snapshot-") as folder:
        pdfs = books(bookpress, Path(folder))
        data = {name: snapshot(path) for name, path in pdfs.items()}
    out.write_text(json.dumps(data), encoding="utf-8")
    print(f"wrote {out}: " + ", ".join(f"{name} {len(pages)} pages" for name, pages in data.items()))


def compare(old_path: Path, new_path: Path) -> int:
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (old_path, new_path))
    problems = []
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            problems.append(f"{name}: only in {'new' if a is None else 'old'}")
            continue
        if len(a) != len(b):
            problems.append(f"{name}: {len(a)} pages before, {len(b)} after")
        for number, (pa, pb) in enumerate(zip(a, b), start=1):
            for key in ("boxes", "images", "text"):
                if pa[key] != pb[key]:
                    what = "".join(c[0] for c in pa[key])[:60] if key == "text" else ""
                    problems.append(f"{name} page {number}: {key} differ {what!r}")
    for line in problems:
        print(line)
    pages = sum(len(v) for v in old.values())
    print(f"{len(problems)} differences over {len(old)} books, {pages} pages "
          "(boxes, every character with its box, every image's bytes and placement)")
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="verb", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--bookpress", default=f"{sys.executable} -m bookpress")
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.verb == "write":
        write(args.out, shlex.split(args.bookpress))
    else:
        sys.exit(compare(args.old, args.new))


if __name__ == "__main__":
    main()
