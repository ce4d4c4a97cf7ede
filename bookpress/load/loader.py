"""One load run's shared services: manuscript-relative paths, YAML files, schema checks, image probes -> diagnostics.

Every problem is recorded against the file and line that caused it and the run
goes on, so that the author sees all of them at once. Paths are checked here, once:
nothing the manuscript names may lead outside its folder (../, absolute, or a
symbolic link pointing out).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostics, ImageProblem, did_you_mean
from ..model import ImageInfo, Photo, SourceRef
from . import schema
from .files import size_problem
from .probe import image_message, probe
from .schema.errors import report_validation
from .yamlsrc import SourceMap, YamlProblem, load_yaml

Where = tuple[int, int]  # line, column (1-based; 0 when unknown)


class Loader:
    """The diagnostics collector, the manuscript root, and a cache of probed images."""

    def __init__(self, root: Path, diag: Diagnostics | None = None) -> None:
        self.root = root.resolve()
        self.diag = diag if diag is not None else Diagnostics()
        self.images: dict[Path, Optional[ImageInfo]] = {}
        self.documents: list[tuple[Path, str, Any, SourceMap]] = []  # every YAML file read: its text is checked

    # -- reporting -------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root))
        except (ValueError, OSError):
            return str(path)

    def error_at(self, file: str, where: Where, message: str, hint: str | None = None) -> None:
        self.diag.error(message, file, where[0] or None, where[1] or None, hint)

    def read_yaml(self, path: Path) -> tuple[Any, SourceMap] | None:
        """A YAML file's data and source map, or None once its problem is reported."""
        try:
            data, smap = load_yaml(path)
        except YamlProblem as exc:
            self.error_at(self.rel(path), (exc.line, exc.column), exc.message, exc.hint)
            return None
        self.documents.append((path, self.rel(path), data, smap))
        return data, smap

    def validate(self, model: type[BaseModel], data: Any, file: str, smap: SourceMap, prefix: tuple = ()):
        """`data` as `model`, or None once every problem in it is reported against `file`."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            def report(path: tuple, message: str, hint: str | None, at_value: bool) -> None:
                where = smap.value_at if at_value else smap.where
                self.error_at(file, where(prefix + path), message, hint)

            report_validation(exc, model, data, report)
            return None

    # -- paths -----------------------------------------------------------------------------
    def resolve(self, text: str, file: str, where: Where, what: str = "file", must_be_dir: bool = False) -> Path | None:
        """The file (or folder) a manuscript path names, or None once the reason is reported."""
        if not text.strip():
            self.error_at(file, where, f"the {what} path is empty", f"write the {what}'s path after the colon")
            return None
        raw = Path(text)
        if raw.is_absolute() or text.startswith("~"):
            self.error_at(file, where, f"{what} path '{text}' is absolute",
                          "give a path relative to the manuscript folder, such as photos/boat.jpg")
            return None
        try:
            resolved = (self.root / raw).resolve()
            is_dir, is_file = resolved.is_dir(), resolved.is_file()
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a name too long, a symlink loop
            reason = "a symbolic link that leads to itself" if isinstance(exc, RuntimeError) else \
                getattr(exc, "strerror", None) or str(exc).split(":")[0]
            self.error_at(file, where, f"{what} path '{_short(text)}' cannot be used ({reason})",
                          "give a plain relative path to an existing file")
            return None
        text = _short(text)
        if not self.inside(resolved):
            how = " through a symbolic link" if self.inside(Path(os.path.normpath(self.root / raw))) else ""
            self.error_at(file, where, f"{what} path '{text}' leads outside the manuscript folder{how}",
                          "copy the file into the manuscript folder and refer to it from there")
            return None
        if (is_dir if must_be_dir else is_file):
            return resolved
        if not (is_dir or is_file) and resolved.exists():  # a named pipe, a device: never opened
            problem = size_problem(resolved.stat(), 0)
            self.error_at(file, where, f"{what} '{text}' {problem.message}", problem.hint)
            return None
        self._not_there(text, file, where, what, must_be_dir, is_dir or is_file)
        return None

    def inside(self, path: Path) -> bool:
        return path.is_relative_to(self.root)

    def _not_there(self, text: str, file: str, where: Where, what: str, must_be_dir: bool, exists: bool) -> None:
        if exists:
            wrong = "a file, not a folder" if must_be_dir else "a folder, not a file"
            hint = "give the folder that holds the photos" if must_be_dir else "name a file inside it"
            self.error_at(file, where, f"{what} '{text}' is {wrong}", hint)
            return
        parent = (self.root / text).parent
        siblings = [self.rel(p) for p in parent.iterdir()] if parent.is_dir() else []
        self.error_at(file, where, f"{what} '{text}' not found",
                      did_you_mean(text, siblings) or f"check the spelling of the {what} path")

    # -- images ----------------------------------------------------------------------------
    def image(self, path: Path, file: str, where: Where) -> ImageInfo | None:
        """The image's header facts, or None once the reason it cannot be used is reported (once per file)."""
        if path not in self.images:
            try:
                self.images[path] = probe(path)
            except ImageProblem as exc:
                self.images[path] = None
                message, hint = image_message(exc, self.rel(path))
                self.error_at(file, where, message, hint)
        return self.images[path]

    def photo(self, entry: schema.PhotoOptions, path_text: str, file: str, smap: SourceMap,
              path: tuple) -> Photo | None:
        where = smap.value_at(path)  # the problem is the file the value names
        resolved = self.resolve(path_text, file, where, "photo")
        info = self.image(resolved, file, where) if resolved else None
        if info is None:
            return None
        return make_photo(info, entry, SourceRef(file, *where))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_photo(info: ImageInfo, entry: schema.PhotoOptions, source: SourceRef) -> Photo:
    """A photo as the author described it; without a caption it takes the image's embedded one."""
    return Photo(image=info, caption=entry.caption if entry.caption is not None else info.description,
                 credit=entry.credit, fit=entry.fit, focus=tuple(entry.focus) if entry.focus else None,
                 source=source, repeat=entry.repeat)
