"""Prepared image bytes <-> files in a content-addressed cache folder: verified, atomic, LRU-pruned, shared safely.

An entry is named `<key>-<check>.<ext>`: the key is a hash of everything that shaped the
image (jobs.py), the check the first digits of the digest of the entry's own bytes. An
entry is read back only when its bytes still match its name, so a file cut short by a full
disk, emptied, or overwritten is found out, removed and prepared again, never embedded.

Several bookpress processes may use one cache (watch and a manual compile, two editions).
Each holds a shared lock on the folder from its first use until it exits; a prune needs the
lock alone, so it never deletes an entry that another process has looked up and not yet
embedded: when the cache is in use elsewhere, the prune is left to whichever finishes last.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

from ..load.digest import bytes_digest

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking, a prune may then race another compile
    fcntl = None

EXTENSIONS = ("jpg", "png", "tif")
_NAME = re.compile(r"^(?P<key>[0-9a-f]{32})-(?P<check>[0-9a-f]{16})\.(?:jpg|png|tif)$")
_UNCHECKED = re.compile(r"^[0-9a-f]{32}\.(?:jpg|png|tif)$")  # written before entries carried a check: never read
_TEMP = re.compile(r"^\.(?P<pid>\d+)-.*\.tmp$")
_LOCK = ".in-use"
_STALE_TEMP_SECONDS = 3600
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)
_session: tuple[int, Path] | None = None
_held: dict[str, tuple[int, int]] = {}  # cache folder -> (pid, fd holding its shared lock)


def listing(cache_dir: Path) -> dict[str, list[str]]:
    """key -> the names of its entries, from one reading of the folder (a lookup per photo would read it each time)."""
    found: dict[str, list[str]] = {}
    try:
        with os.scandir(cache_dir) as entries:
            for entry in entries:
                match = _NAME.match(entry.name)
                if match:
                    found.setdefault(match["key"], []).append(entry.name)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return found


def holds_entries(cache_dir: Path) -> bool:
    """Whether the folder holds at least one prepared image (it is read only up to the first)."""
    try:
        with os.scandir(cache_dir) as entries:
            return any(_NAME.match(entry.name) for entry in entries)
    except OSError:
        return False


def lookup(cache_dir: Path, key: str) -> Path | None:
    """The verified entry for `key`, marked as just used, or None (a damaged one is removed)."""
    return find(cache_dir, key)[0]


def find(cache_dir: Path, key: str, names: dict[str, list[str]] | None = None) -> tuple[Path | None, list[str]]:
    """(the verified entry for `key`, marked as just used, or None; the names of damaged entries removed).

    `names` is a listing() of the folder; without it the folder is read now.
    """
    candidates = (names if names is not None else listing(cache_dir)).get(key, [])
    damaged = []
    for name in candidates:
        path = Path(cache_dir) / name
        verdict = _verify(path, _NAME.match(name)["check"])
        if verdict is True:
            _touch(path)
            return path, damaged
        if verdict is False:
            damaged.append(name)
            _remove(str(path), 0)
    return None, damaged


def _verify(path: Path, check: str) -> bool | None:
    """True if the entry's bytes match its name, False if they do not (or it is not a plain file), None if gone."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a link or a pipe put there is no entry of ours
            return False
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return None
    except OSError:
        return False
    return bool(data) and bytes_digest(data).startswith(check)


def _touch(path: Path) -> None:
    try:
        os.utime(path)  # the LRU clock for cache_prune
    except OSError:  # a read-only cache still serves its files
        pass


def store(cache_dir: Path, key: str, ext: str, data: bytes) -> Path:
    """Write atomically: readers see the whole file or none, even across processes."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = cache_dir / f"{key}-{bytes_digest(data)[:16]}.{ext}"
    # The writer's pid in the name: a temporary file whose writer was killed is swept by the next prune.
    fd, temp = tempfile.mkstemp(dir=cache_dir, prefix=f".{os.getpid()}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, final)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return final


def use(cache_dir: Path) -> None:
    """Hold a shared lock on `cache_dir` until this process ends: its entries are not pruned under it.

    The lock goes with the process, however it ends (even SIGKILL): the system drops it.
    """
    key = str(cache_dir)
    if fcntl is None or _held.get(key, (None,))[0] == os.getpid():
        return
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        fd = os.open(Path(cache_dir) / _LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError:
        return  # a read-only cache: nobody prunes it either
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:  # a file system without locks: as before locking
        os.close(fd)
        return
    _held[key] = (os.getpid(), fd)


def session_dir() -> Path:
    """A private temporary cache for this process, removed when it exits."""
    global _session
    if _session is None or _session[0] != os.getpid():
        path = Path(tempfile.mkdtemp(prefix="bookpress-images-"))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        _session = (os.getpid(), path)
    return _session[1]


def cache_prune(cache_dir: Path, max_bytes: int) -> int:
    """Delete least-recently-used prepared images until the cache holds at most `max_bytes`.

    Returns the bytes freed. Only regular files named as this module names them are
    touched (never a link, never another file); temporary files left by a killed run are
    removed. Nothing is deleted while another process holds the cache (see use()).
    """
    cache_dir = Path(cache_dir)
    if not cache_dir.is_dir() or cache_dir.is_symlink():
        return 0
    with _alone(cache_dir) as alone:
        return _prune(cache_dir, max_bytes) if alone else 0


def _prune(cache_dir: Path, max_bytes: int) -> int:
    freed, entries = 0, []
    with os.scandir(cache_dir) as listed:
        for entry in listed:
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if _NAME.match(entry.name):
                entries.append((info.st_mtime, info.st_size, entry.path))
            elif _UNCHECKED.match(entry.name) or _stale_temp(entry.name, info):
                freed += _remove(entry.path, info.st_size)
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        freed += _remove(path, size)
        total -= size
    return freed


def _stale_temp(name: str, info: os.stat_result) -> bool:
    match = _TEMP.match(name)
    if match is None:
        return name.endswith(".tmp") and time.time() - info.st_mtime > _STALE_TEMP_SECONDS
    return not process_alive(int(match["pid"])) or time.time() - info.st_mtime > _STALE_TEMP_SECONDS


def process_alive(pid: int) -> bool:
    """Whether a process of that id runs on this machine (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


class _alone:
    """`with _alone(folder) as alone:` True while this process holds the folder's lock alone."""

    def __init__(self, cache_dir: Path) -> None:
        self.key, self.folder, self.fd, self.own = str(cache_dir), cache_dir, None, False

    def __enter__(self) -> bool:
        if fcntl is None:
            return True
        held = _held.get(self.key)
        self.own = held is not None and held[0] == os.getpid()
        try:
            self.fd = held[1] if self.own else os.open(self.folder / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # another compile is using the cache
        except OSError:
            return True  # no locks on this file system
        return True

    def __exit__(self, *exc_info: object) -> None:
        if self.fd is None:
            return
        if self.own:  # back to sharing it (a failed conversion dropped it: take it again)
            fcntl.flock(self.fd, fcntl.LOCK_SH)
        else:
            os.close(self.fd)


def _remove(path: str, size: int) -> int:
    try:
        os.unlink(path)
        return size
    except FileNotFoundError:
        return 0


def parse_size(text: str) -> int:
    """'2G', '500M', '1.5GiB', '800000' -> bytes (binary multiples: 1K = 1024)."""
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a size; write e.g. 2G, 500M or 800000 (bytes)")
    number, unit = float(match[1]), match[2].lower()
    return int(number * 1024 ** " kmgt".index(unit or " "))
