"""A photo set folder (+ its optional photoset.yaml) -> its photos in order, each problem located where it was named."""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import did_you_mean
from ..model import Photo, SourceRef
from . import schema
from .loader import Loader, make_photo

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}


def _natural_key(path: Path) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


class PhotoSetReader:
    """A photo set folder (+ optional photoset.yaml) -> its photos in order.

    An image that cannot be used is reported where the author named it: its photoset.yaml
    entry, or else the chapter's `photoset:` line.
    """

    def __init__(self, loader: Loader, folder: Path, block: SourceRef) -> None:
        self.loader, self.folder, self.block = loader, folder, block
        self.title = self.text = self.layout = None
        self.found_images = False
        # file name -> (order, its photoset.yaml entry, where the entry is)
        self.entries: dict[str, tuple[int, schema.PhotoEntrySchema, SourceRef]] = {}

    def read(self) -> list[Photo]:
        files = sorted((p for p in self.folder.iterdir()
                        if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")), key=_natural_key)
        self.found_images = bool(files)
        meta_file = next((self.folder / n for n in ("photoset.yaml", "photoset.yml")  # a pipe there is refused
                          if (self.folder / n).exists() and not (self.folder / n).is_dir()), None)
        if meta_file is not None:
            self._read_meta(meta_file, {p.name for p in files})
        listed = sorted(self.entries.items(), key=lambda item: item[1][0])
        ordered = [self.folder / name for name, _ in listed] + [p for p in files if p.name not in self.entries]
        return [photo for photo in map(self._photo, ordered) if photo is not None]

    def _read_meta(self, meta_file: Path, names: set[str]) -> None:
        loaded = self.loader.read_yaml(meta_file)
        if loaded is None:  # reported; the folder's images are still used, in file-name order
            return
        data, smap = loaded
        file = self.loader.rel(meta_file)
        parsed = self.loader.validate(schema.PhotoSetFileSchema, data, file, smap)
        if parsed is None:
            return
        self.title, self.text, self.layout = parsed.title, parsed.text, parsed.layout
        for index, entry in enumerate(parsed.photos):
            where = smap.where(("photos", index, "file"))
            if entry.file not in names:
                self.loader.error_at(file, where, f"photo '{entry.file}' is not in the folder",
                                     did_you_mean(entry.file, names) or "check the file name")
            elif entry.file in self.entries:
                self.loader.error_at(file, where, f"photo '{entry.file}' is listed twice",
                                     f"keep one entry (the other is at line {self.entries[entry.file][2].line})")
            else:
                order = entry.order if entry.order is not None else index
                self.entries[entry.file] = (order, entry, SourceRef(file, *where))

    def _photo(self, path: Path) -> Photo | None:
        order_entry = self.entries.get(path.name)
        entry, source = (order_entry[1], order_entry[2]) if order_entry else (
            schema.PhotoEntrySchema(file=path.name), self.block)
        where = (source.line, source.column)
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a symbolic link that points to itself
            target = None
        if target is None or not self.loader.inside(target):
            where_to = "nowhere (it points to itself)" if target is None else "outside the manuscript folder"
            self.loader.error_at(source.file, where, f"photo '{path.relative_to(self.loader.root)}' in the photo set "
                                 f"is a symbolic link that leads {where_to}", "copy the image itself into the folder")
            return None
        info = self.loader.image(path, source.file, where)
        return make_photo(info, entry, source) if info else None
