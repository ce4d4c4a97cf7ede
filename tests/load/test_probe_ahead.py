"""Photos probed ahead in the image workers: which files are asked for, and when probe() takes the answer."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from bookpress.diagnostics import ManuscriptError
from bookpress.images import pool
from bookpress.load.ahead import photo_candidates, probed_ahead
from bookpress.load.probe import probe, probe_with_state
from bookpress.pipeline import Request, compile_book
from conftest import photo, write


def test_the_photos_the_yaml_names_are_the_candidates_and_nothing_outside_or_cached(tmp_path):
    root = tmp_path / "book"
    for name in ("a.jpg", "b c.JPG", "set/c.png", "unused.jpg"):
        photo(root / "photos" / name)
    photo(root / "build" / "old.jpg")
    photo(tmp_path / "outside.jpg")
    (root / "photos" / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    write(root / "book.yaml", "title: T\nchapters: [chapters/one.yaml]\ncover: {photo: 'photos/a.jpg'}\n")
    write(root / "chapters" / "one.yaml", """
        title: One
        blocks:
          - photo: photos/a.jpg
          - photos: [photos/set/c.png, "photos/missing.jpg"]
          - photo: ../outside.jpg
          - photo: photos/link.jpg
          - photo: build/old.jpg
          - text: "a.jpg is only a word here"
    """)
    write(root / ".hidden" / "x.yaml", "photo: photos/unused.jpg\n")
    found = photo_candidates(root)
    resolved = (root / "photos").resolve()
    # build/old.jpg is inside the manuscript and named, so it is a candidate; nothing leaves the folder.
    assert found == [resolved / "a.jpg", resolved / "set" / "c.png", (root / "build" / "old.jpg").resolve()]


def settled(value) -> Future:
    future = Future()
    future.set_result(value)
    return future


def test_probe_takes_the_answer_only_for_a_file_as_it_was_when_probed_ahead(tmp_path):
    path = photo(tmp_path / "p.jpg").resolve()
    state, info = probe_with_state(path)
    marked = replace(info, description="probed ahead")
    with probed_ahead({str(path): settled((state, marked))}):
        assert probe(path).description == "probed ahead"
    stale = list(state)
    stale[1] -= 1  # another modification time: the file changed after the worker read it
    with probed_ahead({str(path): settled((stale, marked))}):
        assert probe(path) == info
    failed = Future()
    failed.set_exception(RuntimeError("the pool broke"))
    cancelled = Future()
    cancelled.cancel()
    for future in (failed, cancelled):
        with probed_ahead({str(path): future}):
            assert probe(path) == info


def test_a_damaged_photo_probed_ahead_is_reported_where_the_manuscript_uses_it(make_book, tmp_path):
    root = make_book()
    damaged = root / "photos" / "wide2.jpg"
    damaged.write_bytes(damaged.read_bytes()[:200])
    said = []
    for jobs in (2, 1):  # probed ahead in the workers, then in this process alone
        shutil.rmtree(root / "build", ignore_errors=True)
        with pytest.raises(ManuscriptError) as raised:
            compile_book(root, Request(jobs=jobs, output=tmp_path / f"j{jobs}.pdf"))
        said.append([str(d) for d in raised.value.diagnostics])
    assert said[0] == said[1]
    assert any("chapters/two.yaml" in line and "wide2.jpg" in line and "damaged" in line for line in said[0])


def test_a_first_compile_probes_in_the_workers_and_prints_the_same_book(make_book, tmp_path, monkeypatch):
    root = make_book()
    asked: list = []
    real = pool.probe_ahead

    def recording(paths):
        asked.extend(paths)
        return real(paths)

    monkeypatch.setattr("bookpress.pipeline.probe_ahead", recording)
    first = compile_book(root, Request(jobs=2, output=tmp_path / "ahead.pdf"))
    assert sorted(p.name for p in asked) == ["tall1.jpg", "tall2.jpg", "wide1.jpg", "wide2.jpg"]
    asked.clear()
    again = compile_book(root, Request(jobs=2, output=tmp_path / "again.pdf"))  # photos prepared: none ahead
    assert asked == []
    serial = compile_book(root, Request(jobs=1, cache=False, output=tmp_path / "serial.pdf"))
    assert [p.image for p in first.manuscript.all_photos()] == [p.image for p in serial.manuscript.all_photos()]
    assert [p.image for p in again.manuscript.all_photos()] == [p.image for p in serial.manuscript.all_photos()]


def test_a_photo_no_worker_was_given_yet_is_probed_here_and_taken_back(tmp_path):
    path = photo(tmp_path / "p.jpg").resolve()
    _, info = probe_with_state(path)
    waiting = Future()  # the workers are still booting: nobody has it
    with probed_ahead({str(path): waiting}):
        assert probe(path) == info
    assert waiting.cancelled()  # so that no worker is given it later


def test_a_photo_a_worker_is_probing_is_waited_for_not_probed_again(tmp_path):
    path = photo(tmp_path / "p.jpg").resolve()
    state, info = probe_with_state(path)
    running = Future()
    running.set_running_or_notify_cancel()  # handed over: a worker has it
    timer = threading.Timer(0.05, running.set_result, [(state, replace(info, description="from the worker"))])
    timer.start()
    with probed_ahead({str(path): running}):
        assert probe(path).description == "from the worker"
    timer.join()


class _Recorder(ThreadPoolExecutor):
    """A pool of one thread that records what it is given, in order."""

    def __init__(self):
        super().__init__(1)
        self.given: list[Path] = []

    def submit(self, fn, *args):
        self.given.append(args[0])
        return super().submit(fn, *args)


def test_the_workers_probe_from_the_last_photo_and_skip_the_ones_the_loader_took(tmp_path, monkeypatch):
    paths = [photo(tmp_path / f"p{i}.jpg").resolve() for i in range(6)]
    recorder = _Recorder()
    gate = threading.Event()

    def booting(workers):
        gate.wait(5)  # the boot ends only once the loader has taken the first two
        return recorder

    monkeypatch.setattr(pool, "_boot", threading.Thread())
    monkeypatch.setattr(pool, "_boot_workers", 1)
    monkeypatch.setattr(pool, "_executor", booting)
    results = pool.probe_ahead(paths)
    assert results[str(paths[0])].cancel() and results[str(paths[1])].cancel()
    gate.set()
    for path in paths[2:]:
        state, info = results[str(path)].result(timeout=10)
        assert info is not None and info.digest == probe_with_state(path)[1].digest
    recorder.shutdown()
    assert recorder.given == paths[:1:-1]  # last first; the two taken back were never given
