"""Progress bars: shown on a terminal, silent with --quiet, when output is not a terminal, and in CI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

BAR_WORDS = ("Preparing images", "Drawing pages", "Rendering thumbnails")


def run_proof(root: Path, *args: str, terminal: bool, ci: bool = False) -> str:
    """`bookpress proof` in a child process; stderr (and stdout) on a pseudo-terminal or a pipe."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "COLUMNS")}
    env.update(TERM="xterm-256color", **({"CI": "true"} if ci else {}))
    command = [sys.executable, "-m", "bookpress.cli", "proof", str(root), "-j", "2", *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr
    main, child = pty.openpty()
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=env)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal: it has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    output = b"".join(chunks).decode("utf-8", "replace")
    assert process.wait(timeout=120) == 0, output
    return output


def test_a_terminal_shows_progress(sample_book: Path) -> None:
    output = run_proof(sample_book, terminal=True)
    assert any(word in output for word in BAR_WORDS), output[-500:]
    assert "wrote" in output


@pytest.mark.parametrize(("args", "terminal", "ci"), [
    (("--quiet",), True, False),  # asked for quiet
    ((), False, False),  # output is a pipe, as in scripts and logs
    ((), True, True),  # CI=true
])
def test_no_progress_when_quiet_piped_or_in_ci(sample_book: Path, args: tuple[str, ...], terminal: bool,
                                                 ci: bool) -> None:
    output = run_proof(sample_book, *args, terminal=terminal, ci=ci)
    assert not any(word in output for word in BAR_WORDS)
    assert ("wrote" in output) != ("--quiet" in args)
