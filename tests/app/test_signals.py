"""Killed or interrupted compiles: no process of theirs survives, their stdout closes, their scratch files go.

Each test runs the real command (`python -m bookpress.cli`) on a book whose photos take a few
seconds to prepare, waits until its two workers are busy and the pages are being drawn, and
then signals the main process. The processes are found through /proc (Linux).
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, write
from PIL import Image

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes through /proc")
DEADLINE = 60.0
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


@pytest.fixture(scope="module")
def slow_book_template(tmp_path_factory) -> Path:
    """Eight noisy 12 MP photos, each on a page of its own: preparing them takes a few seconds."""
    root = tmp_path_factory.mktemp("slow") / "book"
    for i in range(8):
        path = root / "photos" / f"p{i}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.effect_noise((4000, 3000), 70 + i).convert("RGB").save(path, quality=95)
    write(root / "book.yaml", "title: Slow Book\nchapters: [chapters/01.yaml]\n")
    pages = "".join(f"  - page: photo-caption\n    slots: {{photo: {{photo: photos/p{i}.jpg, caption: P{i}.}}}}\n"
                    for i in range(8))
    write(root / "chapters/01.yaml", "title: One\nblocks:\n" + pages)
    return root


@pytest.fixture
def slow_book(slow_book_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(slow_book_template, tmp_path / "book"))


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in children(todo.pop()) - found:
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":  # a zombie has ended; only its parent's wait is missing
            living.add(pid)
    return living


def wait_until(condition, what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.02)


def scratch(root: Path) -> list[str]:
    build = root / "build"
    return sorted(p.name for p in build.iterdir() if p.name.startswith(".") and p.is_file()) if build.exists() else []


_started: list[tuple[subprocess.Popen, set[int]]] = []


def as_in_a_terminal() -> None:
    """Ctrl+C's SIGINT as a terminal delivers it: a runner that started us in the background ignores it,
    and an ignored SIGINT is inherited (Python then never raises KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(autouse=True)
def no_leftovers():
    """Whatever a failing test leaves running is killed, so that it cannot hold up the rest."""
    yield
    while _started:
        process, helpers = _started.pop()
        for pid in alive(helpers | descendants(process.pid) | {process.pid}):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def start(*args: object) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "bookpress.cli", *map(str, args)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=ENV, preexec_fn=as_in_a_terminal)
    _started.append((process, set()))
    return process


def busy(process: subprocess.Popen, root: Path) -> set[int]:
    """Wait until the workers run (fork server, resource tracker, two workers) and pages are drawn."""
    wait_until(lambda: len(descendants(process.pid)) >= 4 and any(n.endswith(".drawn") for n in scratch(root)),
               "the compile to be busy")
    helpers = descendants(process.pid)
    _started.append((process, helpers))
    return helpers


def assert_all_gone(process: subprocess.Popen, helpers: set[int]) -> None:
    """Every process of the compile ends, and with them every holder of its stdout: a reader sees the end."""
    end = time.monotonic() + DEADLINE
    fd = process.stdout.fileno()
    while True:  # read what is left, up to the end of the pipe, which comes only when no process holds it
        readable, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        assert readable, f"stdout is still held open by {sorted(alive(helpers | {process.pid}))}"
        if not os.read(fd, 1 << 16):
            break
    wait_until(lambda: not alive(helpers), f"the compile's processes {sorted(alive(helpers))} to end")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signalled_compile_leaves_no_process_and_closes_its_stdout(slow_book: Path, signum: int) -> None:
    process = start("compile", slow_book, "-j", "2", "--no-cache")
    helpers = busy(process, slow_book)
    process.send_signal(signum)
    assert_all_gone(process, helpers)
    code = process.wait(timeout=DEADLINE)
    if signum == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:  # ended like Ctrl+C: its clean-up ran, and the shell's convention for the code
        assert code == 128 + signum, process.stderr.read()
        assert b"interrupted; the previous output was left as it was" in process.stderr.read()
        assert scratch(slow_book) == []
    assert not (slow_book / "build" / "slow-book.pdf").exists()


def test_the_scratch_files_of_a_killed_compile_are_swept_by_the_next(slow_book: Path) -> None:
    process = start("compile", slow_book, "-j", "2", "--no-cache")
    helpers = busy(process, slow_book)
    process.kill()
    assert_all_gone(process, helpers)
    process.wait(timeout=DEADLINE)
    left = scratch(slow_book)
    assert any(name.endswith(".drawn") for name in left), left  # SIGKILL allows no clean-up
    done = subprocess.run([sys.executable, "-m", "bookpress.cli", "compile", slow_book, "-q", "-j", "2"],
                          capture_output=True, env=ENV, timeout=DEADLINE * 2)
    assert done.returncode == 0, done.stderr
    assert scratch(slow_book) == [] and (slow_book / "build" / "slow-book.pdf").is_file()


def test_out_equals_dollar_compile_returns_when_the_compile_is_killed(slow_book: Path) -> None:
    """As the issue wrote it: `out=$(bookpress compile ...)` in a shell; the compile killed; the shell goes on."""
    command = f"out=$('{sys.executable}' -m bookpress.cli compile '{slow_book}' -j 2 --no-cache); echo returned"
    shell = subprocess.Popen(["sh", "-c", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    def compile_process() -> int | None:  # python -m bookpress.cli ... (not the fork server, which names it too)
        return next((pid for pid in alive(descendants(shell.pid))
                     if b"\0-m\0bookpress.cli\0" in (Path("/proc") / str(pid) / "cmdline").read_bytes()), None)

    wait_until(lambda: compile_process() is not None, "the compile to start")
    main = compile_process()
    wait_until(lambda: len(descendants(main)) >= 4, "the workers to start")
    os.kill(main, signal.SIGKILL)
    out, _ = shell.communicate(timeout=DEADLINE)
    assert out.strip() == b"returned"


def test_watch_stopped_by_ctrl_c_or_sighup_ends_with_its_processes(slow_book: Path) -> None:
    for signum in (signal.SIGINT, signal.SIGHUP):
        shutil.rmtree(slow_book / "build", ignore_errors=True)
        process = start("watch", slow_book, "-j", "2")
        helpers = busy(process, slow_book)
        process.send_signal(signum)
        assert_all_gone(process, helpers)
        assert process.wait(timeout=DEADLINE) == 128 + signum, process.stderr.read().decode()
        assert scratch(slow_book) == []


@pytest.fixture
def stop_signal_handlers(monkeypatch):
    """SIGHUP handled as bookpress handles it, in this process, and put back afterwards."""
    from bookpress.images import lifetime

    monkeypatch.setattr(lifetime, "_received", [])
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)}
    signal.signal(signal.SIGHUP, lifetime.on_stop_signal)
    yield
    for signum, handler in before.items():
        signal.signal(signum, handler)


def hang_up_inside_a_library_that_wraps_it() -> None:
    """What a library that catches everything does with the signal's exception: it raises its own."""
    try:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(5)  # the handler raises before this ends
    except BaseException as exc:
        raise RuntimeError("stream ended unexpectedly") from exc


def test_a_stop_signal_a_library_turned_into_another_error_still_ends_as_the_signal(stop_signal_handlers,
                                                                                    capsys) -> None:
    import typer

    from bookpress.terminal import guarded

    with pytest.raises(typer.Exit) as ended:
        with guarded(debug=False):
            hang_up_inside_a_library_that_wraps_it()
    assert ended.value.exit_code == 128 + signal.SIGHUP  # not 3, the code of a bug in bookpress
    stderr = capsys.readouterr().err
    assert "interrupted; the previous output was left as it was" in stderr and "internal error" not in stderr


def test_a_watch_whose_build_turned_the_stop_into_a_failure_stops(stop_signal_handlers, tmp_path: Path) -> None:
    from bookpress.diagnostics import ImageProblem
    from bookpress.images.lifetime import Interrupted
    from bookpress.watch import Limits, watch_manuscript

    def build() -> None:
        try:
            hang_up_inside_a_library_that_wraps_it()
        except RuntimeError as exc:
            raise ImageProblem("photos/a.jpg: cannot be decoded") from exc

    reports = []
    with pytest.raises(Interrupted):
        watch_manuscript(tmp_path, build, reports.append, Limits(max_builds=3, timeout=10))
    assert reports == []  # the stop is not reported as a failed build, and no build follows it


def test_a_hang_up_before_the_command_guards_itself_exits_129_not_130(stop_signal_handlers, monkeypatch,
                                                                    slow_book: Path) -> None:
    from bookpress import cli

    def hang_up(path):  # the signal arrives while the command is starting, before its guard
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(5)

    monkeypatch.setattr(cli, "manuscript_dir", hang_up)
    monkeypatch.setattr(cli, "handle_signals", lambda: None)  # the fixture installed the handler
    monkeypatch.setattr(sys, "argv", ["bookpress", "watch", str(slow_book)])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 128 + signal.SIGHUP


def test_a_stop_whose_clean_up_fails_still_ends_as_the_signal(stop_signal_handlers, monkeypatch, capsys) -> None:
    import typer

    from bookpress import terminal

    def failing_stop(now: bool = False) -> None:
        if now:
            raise RuntimeError("the pool broke while it was being stopped")

    monkeypatch.setattr(terminal, "stop_workers", failing_stop)
    with pytest.raises(typer.Exit) as ended:
        with terminal.guarded(debug=False):
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(5)
    assert ended.value.exit_code == 128 + signal.SIGHUP
    assert "internal error" not in capsys.readouterr().err
