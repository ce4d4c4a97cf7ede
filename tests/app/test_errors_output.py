"""A failed or interrupted compile never costs the last good book; usage errors exit 2; bugs say so, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, assert_rejected, edit, run_cli, run_compile
from PIL import Image

from bookpress import pipeline, press, render
from bookpress.diagnostics import UsageError
from bookpress.images import cache
from bookpress.pipeline import write_text_atomically

PDF = Path("build/small-book.pdf")
REPORT = Path("build/small-book.preflight.json")


def compile_(root: Path, *extra: object):
    return run_compile(root, "--no-cache", *extra)


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write could have left behind."""
    return sorted(p.name for p in folder.rglob("*")
                  if p.name.endswith((".part", ".tmp")) or p.name.startswith(".small"))


@pytest.fixture
def compiled(small_book: Path) -> tuple[Path, bytes, bytes]:
    """The small book compiled once: (root, the PDF's bytes, the report's bytes)."""
    assert compile_(small_book).exit_code == 0
    return small_book, (small_book / PDF).read_bytes(), (small_book / REPORT).read_bytes()


def test_a_broken_compile_leaves_the_previous_pdf_byte_for_byte(compiled) -> None:
    root, pdf, report = compiled
    edit(root / "chapters/01.yaml", "page: two-up", "page: two-upp")
    assert_rejected(compile_(root), "chapters/01.yaml:8:5:", "unknown template")
    assert (root / PDF).read_bytes() == pdf
    assert (root / REPORT).read_bytes() == report
    assert leftovers(root) == []


def test_an_image_that_fails_to_decode_leaves_the_previous_pdf(small_book: Path) -> None:
    path = small_book / "photos/b.png"
    Image.new("RGB", (600, 400), (5, 6, 7)).save(path)
    edit(small_book / "chapters/01.yaml", "photos/b.jpg", "photos/b.png")
    assert compile_(small_book).exit_code == 0
    pdf = (small_book / PDF).read_bytes()
    data = bytearray(path.read_bytes())
    start = data.index(b"IDAT") + 8  # the header still reads: only decoding finds the damage, while rendering
    data[start:start + 40] = b"A" * 40
    path.write_bytes(bytes(data))
    assert_rejected(compile_(small_book), "chapters/01.yaml:11:23:", "photo 'photos/b.png'", "damaged")
    assert (small_book / PDF).read_bytes() == pdf
    assert leftovers(small_book) == []


def test_an_interrupted_drawing_leaves_the_previous_pdf(compiled, monkeypatch) -> None:
    root, pdf, _ = compiled

    def interrupted(book, drawn, *args, **kwargs):
        Path(drawn).write_bytes(b"%PDF-1.7\n half the pages")  # what a killed writer leaves
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "draw_pdf", interrupted)
    result = compile_(root)
    assert result.exit_code == 130
    assert "interrupted; the previous output was left as it was" in result.stderr
    assert (root / PDF).read_bytes() == pdf
    assert leftovers(root) == []


def test_an_interrupt_while_the_final_pdf_is_written_leaves_the_previous_pdf(compiled, monkeypatch) -> None:
    root, pdf, _ = compiled

    def interrupted(drawn, files, tmp, *args, **kwargs):
        Path(tmp).write_bytes(b"%PDF-1.7\n half a book")
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "embed_images", interrupted)
    assert compile_(root).exit_code == 130
    assert (root / PDF).read_bytes() == pdf
    assert leftovers(root) == []


def test_a_failing_render_is_an_internal_error_without_a_traceback(compiled, monkeypatch) -> None:
    root, pdf, _ = compiled

    def broken(book, tmp, *args, **kwargs):
        Path(tmp).write_bytes(b"garbage")
        raise RuntimeError("press exploded")

    monkeypatch.setattr(press, "press_pdf", broken)
    result = compile_(root)
    assert result.exit_code == 3
    assert "internal error in bookpress" in result.stderr and "press exploded" in result.stderr
    assert "Traceback" not in result.output
    assert (root / PDF).read_bytes() == pdf
    assert leftovers(root) == []
    debug = compile_(root, "--debug")  # developers get the exception itself
    assert isinstance(debug.exception, RuntimeError)
    assert (root / PDF).read_bytes() == pdf


def test_a_first_compile_that_fails_writes_nothing(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "page: two-up", "page: nope")
    assert compile_(small_book).exit_code == 1
    assert not (small_book / PDF).exists()
    assert leftovers(small_book) == []


def test_an_atomic_write_that_fails_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")

    def half(tmp: Path) -> None:
        tmp.write_text("new but cut")
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError, match="cannot write .*No space left on device"):
        pipeline.write_atomically(target, half)
    assert target.read_text() == "old"
    write_text_atomically(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_the_image_cache_never_holds_a_half_written_entry(tmp_path: Path, monkeypatch) -> None:
    def fails(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", fails)
    with pytest.raises(OSError):
        cache.store(tmp_path, "0" * 32, "jpg", b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


# -- usage errors: exit 2 ------------------------------------------------------------------------------
def test_a_missing_manuscript_folder(tmp_path: Path) -> None:
    result = run_cli("compile", tmp_path / "nowhere", "--quiet")
    assert_rejected(result, "error:", "does not exist", code=2)


def test_a_file_given_as_the_manuscript(small_book: Path) -> None:
    result = run_cli("compile", small_book / "book.yaml", "--quiet")
    assert_rejected(result, "error:", "is a file, not a folder", code=2)


def test_a_folder_without_book_yaml(tmp_path: Path) -> None:
    result = run_cli("compile", tmp_path, "--quiet")
    assert_rejected(result, "error:", "has no book.yaml", "bookpress init", code=2)


def test_an_unknown_option(small_book: Path) -> None:
    result = run_cli("compile", small_book, "--colour", "red")
    assert result.exit_code == 2 and "No such option" in result.output and "Traceback" not in result.output


def test_an_unknown_printer_on_the_command_line(small_book: Path) -> None:
    result = compile_(small_book, "--printer", "kdpp")
    assert_rejected(result, "error:", "unknown printer preset 'kdpp' given to --printer", "did you mean 'kdp'?", code=2)


def test_an_output_path_that_is_a_folder(small_book: Path) -> None:
    result = compile_(small_book, "-o", small_book / "photos")
    assert_rejected(result, "error:", "it is a folder", code=2)


def test_an_output_path_that_cannot_be_made(small_book: Path) -> None:
    result = compile_(small_book, "-o", small_book / "book.yaml" / "out.pdf")
    assert_rejected(result, "error:", "cannot write", "choose another output file", code=2)
    assert leftovers(small_book) == []


# -- the installed command, as an author runs it ------------------------------------------------------------
def run_bookpress(*args: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "bookpress.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_python_dash_m_bookpress_compiles_like_the_command(small_book: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "bookpress", "compile", str(small_book), "-j", "2"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (small_book / "build" / "small-book.pdf").is_file() and "wrote" in result.stdout


def test_the_command_reports_without_a_traceback_and_debug_shows_one(small_book: Path) -> None:
    edit(small_book / "chapters/01.yaml", "    caption: A landscape.", "    captoin: A landscape.")
    plain = run_bookpress("compile", small_book, "--quiet")
    assert plain.returncode == 1
    assert "chapters/01.yaml:6:5: error: unknown key 'captoin' (did you mean 'caption'?)" in plain.stderr
    assert "Traceback" not in plain.stderr + plain.stdout
    debug = run_bookpress("compile", small_book, "--quiet", "--debug")
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_an_early_error_waits_for_the_booting_workers(small_book: Path) -> None:
    """Workers boot while the manuscript loads; exiting under them would make them print tracebacks."""
    from bookpress.images import pool

    pool.start_workers(2)
    pool.stop_workers()
    assert not pool.workers_running()
    (small_book / "book.yaml").write_text("")
    for _ in range(3):  # the race needed a loaded machine to show; several runs make it likelier
        result = run_bookpress("compile", small_book, "--quiet", "--jobs", "2")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
