"""book.yaml's `editions:` -> the book.yaml of one edition: its keys laid over the book's, each value still located.

An edition is one output of the manuscript (a printer, a trim, an ISBN): the same content
printed another way. Its keys replace the book's own key by key (a mapping is merged, so
`format: {trim: 10x8in}` keeps the book's margins), and the merged document is validated as
a whole, so a wrong value in an edition is reported at the edition's line, not the book's.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from ..diagnostics import UsageError, did_you_mean
from .loader import Loader
from .schema import EDITION_KEYS, BookSchema
from .yamlsrc import SourceMap

# An edition's name becomes part of file names (build/<title>-<edition>.pdf): keep it to what every system takes.
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
KEY = "editions"


@dataclass(frozen=True)
class Declared:
    """book.yaml's data with the editions' unusable parts taken out (once reported), and the usable names."""

    data: dict
    names: tuple[str, ...]
    where: tuple[int, int]  # the `editions:` key, for messages about an edition that is not there


def declared(loader: Loader, data: dict, smap: SourceMap, file: str) -> Declared:
    """Report badly named editions and keys an edition may not change; the rest goes on to validation."""
    where = smap.keys.get((KEY,), (1, 1))
    entries = data.get(KEY)
    if not isinstance(entries, dict):
        return Declared(data, (), where)  # absent, or not a mapping: the schema says what is wrong
    data = {**data, KEY: dict(entries)}
    names = []
    for name, entry in entries.items():
        if not NAME.match(name):
            loader.error_at(file, smap.where((KEY, name)), f"edition name '{name}' cannot be used in a file name",
                            "use lower-case letters, digits, '-', '.' or '_' (at most 40), e.g. kdp or blurb-10x8")
            del data[KEY][name]
            continue
        if isinstance(entry, dict):
            data[KEY][name] = _without_content_keys(loader, entry, smap, file, name)
        names.append(name)
    return Declared(data, tuple(names), where)


def _without_content_keys(loader: Loader, entry: dict, smap: SourceMap, file: str, name: str) -> dict:
    """An edition changes how the book is printed, never what it says: `title:` in an edition is a mistake."""
    content = set(BookSchema.model_fields) - set(EDITION_KEYS)
    for key in [k for k in entry if k in content]:
        loader.error_at(file, smap.where((KEY, name, key)), f"edition '{name}' cannot change '{key}'",
                        f"an edition may set only {', '.join(EDITION_KEYS)}; the book's content is shared "
                        "by all its editions")
    return {k: v for k, v in entry.items() if k not in content}


def select(found: Declared, smap: SourceMap, name: str, file: str) -> tuple[dict, SourceMap]:
    """The book.yaml of edition `name`: its keys merged over the book's, with positions where they were written."""
    if name not in found.names:
        raise unknown_edition(name, found, file)
    entry = found.data[KEY].get(name)
    if not isinstance(entry, dict):  # nothing to lay over the book; the schema reports what it is
        return found.data, smap
    data = {k: v for k, v in found.data.items() if k != KEY}
    data[KEY] = {k: v for k, v in found.data[KEY].items() if k != name}  # its values are checked where they land
    return merge(data, entry), relocated(smap, (KEY, name))


def unknown_edition(name: str, found: Declared, file: str) -> UsageError:
    line, column = found.where
    if not found.names:
        return UsageError(f"{file} declares no editions, so there is no edition '{name}'",
                          "add an 'editions:' mapping to book.yaml; the README's Editions section shows how")
    return UsageError(f"{file}:{line}:{column}: there is no edition '{name}'",
                      did_you_mean(name, found.names) or f"the editions are: {', '.join(found.names)}")


def merge(base: dict, over: dict) -> dict:
    """`over`'s keys replace `base`'s; where both hold a mapping, the two are merged the same way."""
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def relocated(smap: SourceMap, prefix: tuple) -> SourceMap:
    """A source map in which every value written under `prefix` also stands where the merge put it."""
    moved = SourceMap(dict(smap.values), dict(smap.keys), set(smap.empty))
    for table in (moved.values, moved.keys):
        for path, where in list(table.items()):
            if path[:len(prefix)] == prefix and len(path) > len(prefix):
                table[path[len(prefix):]] = where
    for path in list(moved.empty):
        if path[:len(prefix)] == prefix and len(path) > len(prefix):
            moved.empty.add(path[len(prefix):])
        elif (*prefix, *path) in smap.values and (*prefix, *path) not in smap.empty:
            moved.empty.discard(path)  # the edition wrote a value where the book left the key empty
    return moved


def names_in(data: Any) -> tuple[str, ...]:
    """The edition names book.yaml declares (before any check), for commands that build them all."""
    entries = data.get(KEY) if isinstance(data, dict) else None
    return tuple(str(name) for name in entries) if isinstance(entries, dict) else ()
