"""`bookpress watch`: rebuilds after each edit, shows a broken manuscript's errors and keeps watching.

The watch runs as a user runs it, in its own process, bounded by --max-builds and
--timeout; the test moves on when the watch prints a build's line, never by sleeping.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import pdf_texts

DEADLINE = 60.0  # seconds for one build line to appear; builds of the sample take about one


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_texts(path))


class Watch:
    """The watch process with its merged output read line by line on a thread."""

    def __init__(self, root: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bookpress.cli", "watch", str(root), "-j", "2", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as a terminal's Ctrl+C
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)  # the process has ended

    def until(self, words: str) -> list[str]:
        """The lines up to and including the first that contains `words`."""
        end, got = time.monotonic() + DEADLINE, []
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=end - time.monotonic())
            except queue.Empty:
                break
            if line is None:
                break
            got.append(line)
            self.seen.append(line)
            if words in line:
                return got
        raise AssertionError(f"no line with {words!r} within {DEADLINE} s; output so far:\n" + "\n".join(self.seen))

    def stop(self) -> int:
        try:
            return self.process.wait(timeout=DEADLINE)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def test_watch_rebuilds_after_an_edit_and_survives_a_broken_file(sample_book: Path) -> None:
    chapter = sample_book / "chapters" / "01-first-light.yaml"
    pdf = sample_book / "build" / "sample-book.pdf"
    original = chapter.read_text()
    watch = Watch(sample_book, "--max-builds", "4", "--timeout", "240")
    try:
        watch.until("build 1: wrote")
        assert "Lantern" not in pdf_text(pdf)

        chapter.write_text(original.replace("title: First light", "title: Lantern light"))
        lines = watch.until("build 2 after changes to chapters/01-first-light.yaml: wrote")
        assert "Lantern light" in pdf_text(pdf)
        good = pdf.read_bytes()

        chapter.write_text(original.replace("  - heading: A single photo", "  - heading: [unclosed"))
        lines = watch.until("waiting for changes")
        assert any("build 3 after changes to chapters/01-first-light.yaml failed" in line for line in lines)
        assert any(line.startswith("chapters/01-first-light.yaml:") and "error" in line for line in lines)
        assert not any("Traceback" in line for line in lines)
        assert watch.process.poll() is None, "the watch goes on after a failed build"
        assert pdf.read_bytes() == good, "a failed build leaves the last good PDF"

        chapter.write_text(original)
        watch.until("build 4 after changes to chapters/01-first-light.yaml: wrote")
        assert watch.stop() == 0
    finally:
        if watch.process.poll() is None:
            watch.process.kill()
    assert "Lantern" not in pdf_text(pdf)


def test_build_output_and_hidden_files_do_not_trigger_a_build(sample_book: Path) -> None:
    """Awaited, not timed: after the ignored writes, a real edit makes build 2, which names only the edit."""
    chapter = sample_book / "chapters" / "01-first-light.yaml"
    watch = Watch(sample_book, "--timeout", "240")
    try:
        watch.until("build 1: wrote")
        (sample_book / "build" / "notes.txt").write_text("written by someone else")
        (sample_book / ".editor-state").write_text("cursor at 12:4")
        chapter.write_text(chapter.read_text().replace("title: First light", "title: Lantern light"))
        lines = watch.until(": wrote")
        assert any(line.startswith("[") and "build 2 after changes to chapters/01-first-light.yaml: wrote" in line
                   for line in lines), lines
        watch.process.send_signal(signal.SIGINT)  # Ctrl+C: the README promises 130
        assert watch.stop() == 130
    finally:
        if watch.process.poll() is None:
            watch.process.kill()
    assert not any("notes.txt" in line or ".editor-state" in line for line in watch.seen)


def test_a_watch_frees_what_each_build_left_in_reference_cycles(tmp_path: Path) -> None:
    """The command runs with Python's cycle collector off (cli.main); a watch, which lives on, collects
    after every build, or each rebuild would keep the last one's cycles."""
    import gc
    import weakref

    from bookpress.watch import Limits, watch_manuscript

    left: list[weakref.ref] = []

    class Node:
        pass

    def build() -> str:
        node = Node()
        node.itself = node  # freed only by the cycle collector
        left.append(weakref.ref(node))
        return "built"

    enabled = gc.isenabled()
    gc.disable()
    try:
        watch_manuscript(tmp_path, build, lambda outcome: None, Limits(max_builds=1))
        assert left and left[0]() is None
    finally:
        if enabled:
            gc.enable()
