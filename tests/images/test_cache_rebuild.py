"""Rebuilds: what is decoded, hashed and kept between compiles (probe cache, prepared images, limits)."""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import photo
from typer.testing import CliRunner

from bookpress.cli import app
from bookpress.images.cache import parse_size
from bookpress.load.probe import probe
from bookpress.load.probecache import probe_cache
from bookpress.options import Request
from bookpress.pipeline import compile_book

# The package exports functions of the same names, so the modules are fetched by name.
prepare_module = importlib.import_module("bookpress.images.prepare")
probe_module = importlib.import_module("bookpress.load.probe")
SERIAL = Request(jobs=1)  # images prepared in this process, where the counters below can see them


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """Counts the decodes (prepare's render) and the full reads of an image file (probe's hashing)."""
    calls = {"decode": 0, "probe": 0}
    render, full_probe = prepare_module.render, probe_module._probe

    def counting_render(*args, **kwargs):
        calls["decode"] += 1
        return render(*args, **kwargs)

    def counting_probe(*args, **kwargs):
        calls["probe"] += 1
        return full_probe(*args, **kwargs)

    monkeypatch.setattr(prepare_module, "render", counting_render)
    monkeypatch.setattr(probe_module, "_probe", counting_probe)
    return calls


def edit_text(root: Path, old: str, new: str) -> None:
    chapter = root / "chapters" / "two.yaml"
    chapter.write_text(chapter.read_text().replace(old, new, 1))


def page_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_rebuild_after_a_text_edit_decodes_and_hashes_no_photo(make_book, tmp_path, counted):
    root = make_book()
    compile_book(root, replace(SERIAL, output=tmp_path / "first.pdf"))
    assert counted == {"decode": 4, "probe": 4}
    edit_text(root, "The committee met", "The council met")
    compile_book(root, replace(SERIAL, output=tmp_path / "second.pdf"))
    assert counted == {"decode": 4, "probe": 4}  # nothing more
    assert "council" in page_text(tmp_path / "second.pdf")


def test_a_replaced_photo_alone_is_probed_and_prepared_again(make_book, tmp_path, counted):
    root = make_book()
    compile_book(root, replace(SERIAL, output=tmp_path / "first.pdf"))
    photo(root / "photos" / "wide2.jpg", (1500, 1000), (10, 200, 40))  # new pixels, same name
    compile_book(root, replace(SERIAL, output=tmp_path / "second.pdf"))
    assert counted == {"decode": 5, "probe": 5}


def test_no_cache_prepares_every_photo_each_time_and_keeps_nothing(make_book, tmp_path, counted):
    root = make_book()
    for run in (1, 2):
        compile_book(root, Request(jobs=1, cache=False, output=tmp_path / f"run{run}.pdf"))
        assert counted == {"decode": 4 * run, "probe": 4 * run}
    assert not (root / "build" / ".cache").exists()


def test_no_cache_on_the_command_line(make_book, tmp_path):
    root = make_book()
    out = tmp_path / "cli.pdf"
    result = CliRunner().invoke(app, ["compile", str(root), "-o", str(out), "--no-cache", "--quiet", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0 and not (root / "build" / ".cache").exists()


def test_cache_limit_keeps_the_prepared_images_under_it(make_book, tmp_path):
    root = make_book()
    compile_book(root, Request(jobs=1, output=tmp_path / "a.pdf"))
    images = root / "build" / ".cache" / "images"
    everything = sum(path.stat().st_size for path in images.iterdir())
    limit = everything // 2
    compile_book(root, Request(jobs=1, cache_limit=limit, output=tmp_path / "b.pdf"))
    kept = sum(path.stat().st_size for path in images.iterdir())
    assert 0 < kept <= limit


def test_cache_limit_on_the_command_line_is_a_size(make_book, tmp_path):
    root = make_book()
    bad = CliRunner().invoke(app, ["compile", str(root), "--cache-limit", "lots"])
    assert bad.exit_code == 2 and "is not a size" in bad.output
    good = CliRunner().invoke(app, ["compile", str(root), "-o", str(tmp_path / "x.pdf"), "-q", "--cache-limit", "1M"])
    assert good.exit_code == 0, good.output
    assert sum(p.stat().st_size for p in (root / "build" / ".cache" / "images").iterdir()) <= 1 << 20


@pytest.mark.parametrize("text, size", [("2G", 2 << 30), ("500M", 500 << 20), ("1.5GiB", 3 << 29),
                                        ("800000", 800_000), ("64k", 64 << 10), ("3 MB", 3 << 20)])
def test_parse_size(text, size):
    assert parse_size(text) == size


def test_probe_cache_reuses_an_unchanged_file_and_rereads_a_touched_one(tmp_path, counted):
    image = photo(tmp_path / "p.jpg", (300, 200))
    for _ in range(2):
        with probe_cache(tmp_path / "cache"):
            first = probe(image)
    assert counted["probe"] == 1 and (tmp_path / "cache" / "probes.json").is_file()
    stat = image.stat()
    os.utime(image, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with probe_cache(tmp_path / "cache"):
        again = probe(image)
    assert counted["probe"] == 2 and again == first


def test_a_damaged_probe_cache_is_ignored_and_rewritten(make_book, tmp_path, counted):
    root = make_book()
    cache = root / "build" / ".cache" / "probes.json"
    cache.parent.mkdir(parents=True)
    cache.write_text("{not json")
    compile_book(root, replace(SERIAL, output=tmp_path / "a.pdf"))
    assert counted["probe"] == 4
    assert len(json.loads(cache.read_text())["files"]) == 4


def test_probes_from_an_older_digest_are_not_trusted(make_book, tmp_path):
    """A probe cache written by an older bookpress (another digest) must not make every photo look
    'changed while compiling' when new prepared images are needed."""
    import json

    from bookpress.options import Request
    from bookpress.pipeline import compile_book

    root = make_book()
    compile_book(root, Request(jobs=1, output=tmp_path / "a.pdf"))
    probes = root / "build" / ".cache" / "probes.json"
    data = json.loads(probes.read_text())
    data["version"] = 1  # what bookpress wrote before its digest was named in the version
    for entry in data["files"].values():
        entry["info"]["digest"] = "0" * 64
    probes.write_text(json.dumps(data))
    # another printer: X-1a needs CMYK images, which are not in the cache yet
    result = compile_book(root, Request(printer="ingramspark", jobs=1, output=tmp_path / "b.pdf"))
    assert result.pdf.is_file()


def test_each_chapters_photos_go_to_the_workers_before_the_next_chapter_is_laid_out(make_book, monkeypatch):
    # A cold compile keeps both cores busy: the workers start on chapter one's photos while
    # this process still lays out chapter two.
    from bookpress import pipeline
    from bookpress.layout import body

    events: list[str] = []
    chapter = body.BodyBuilder.chapter
    monkeypatch.setattr(body.BodyBuilder, "chapter",
                        lambda self, ch, number: events.append(f"lay out {ch.title}") or chapter(self, ch, number))
    add = pipeline.Preparing.add

    def recording_add(self, jobs):
        jobs = list(jobs)
        events.append(f"prepare {sorted(job.source.path.name for job in jobs)}")
        return add(self, jobs)

    monkeypatch.setattr(pipeline.Preparing, "add", recording_add)
    root = make_book()
    compile_book(root, Request(jobs=2, output=root / "out.pdf"))
    assert events[:4] == ["lay out First Light", "prepare ['wide1.jpg']",
                          "lay out Second Chapter", "prepare ['tall1.jpg', 'tall2.jpg', 'wide2.jpg']"]


def test_a_manuscript_with_errors_prepares_no_photo_only_checks_each_decodes(make_book, monkeypatch):
    from bookpress import pipeline
    from bookpress.diagnostics import ManuscriptError

    added: list[object] = []
    add = pipeline.Preparing.add

    def recording_add(self, jobs):
        jobs = list(jobs)
        added.extend(jobs)
        return add(self, jobs)

    monkeypatch.setattr(pipeline.Preparing, "add", recording_add)
    root = make_book()
    compile_book(root, Request(jobs=1, output=root / "good.pdf"))  # the book has been compiled: build/ exists
    added.clear()
    (root / "book.yaml").write_text((root / "book.yaml").read_text() + "printer: kdpp\n")
    with pytest.raises(ManuscriptError):
        compile_book(root, Request(jobs=2, output=root / "out.pdf"))
    # one small copy per photo (an eighth of each side), none at its placed size
    assert sorted(job.source.path.name for job in added) == ["tall1.jpg", "tall2.jpg", "wide1.jpg", "wide2.jpg"]
    assert all(job.output_size == (job.source.width // 8, job.source.height // 8) for job in added)


def test_a_rebuild_that_finds_every_photo_prepared_boots_no_worker(make_book, tmp_path):
    from bookpress.images import pool

    root = make_book()
    compile_book(root, Request(jobs=2, output=tmp_path / "first.pdf"))  # cold: the workers prepare the photos
    pool.stop_workers()
    edit_text(root, "The committee met", "The council met")
    compile_book(root, Request(jobs=2, output=tmp_path / "second.pdf"))
    assert not pool.workers_running()  # every photo came from the cache: no process was started for them
    assert "council" in page_text(tmp_path / "second.pdf")
    photo(root / "photos" / "wide2.jpg", (1500, 1000), (10, 200, 40))  # one photo to prepare: workers start
    compile_book(root, Request(jobs=2, output=tmp_path / "third.pdf"))
    assert pool.workers_running()
    pool.stop_workers()
