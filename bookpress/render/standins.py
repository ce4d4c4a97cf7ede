"""Placed photos -> empty stand-in forms while drawing, and the names that let embed find them again.

Drawing needs no prepared file: each distinct prepared image (cache key) is drawn as an
empty unit-square form named bpimg0, bpimg1, ... in order of first use, so the pages can be
drawn while the image workers prepare the photos; embed then gives each form its image.
"""

from __future__ import annotations

from reportlab.pdfgen import canvas as rl_canvas

from ..images.jobs import ImageJob

STAND_IN_PREFIX = "bpimg"  # stand-in form names: bpimg0, bpimg1, ... (index into the file list embed gets)


class StandIns:
    """One empty unit-square form per distinct prepared image (cache key), in order of first use.

    Drawing needs no prepared file, so it can run while the image workers prepare them.
    """

    def __init__(self, canvas: rl_canvas.Canvas) -> None:
        self.c = canvas
        self.jobs: list[ImageJob] = []
        self.names: dict[str, str] = {}

    def name(self, job: ImageJob) -> str:
        key = job.key
        if key not in self.names:
            self.names[key] = f"{STAND_IN_PREFIX}{len(self.jobs)}"
            self.jobs.append(job)
            self.c.beginForm(self.names[key], 0, 0, 1, 1)
            self.c.endForm()
        return self.names[key]


def stand_in_index(name: str) -> int | None:
    """'/FormXob.bpimg12' (reportlab's resource name for stand-in 12) -> 12; other names -> None."""
    stem = name.rsplit(".", 1)[-1]
    if stem.startswith(STAND_IN_PREFIX) and stem[len(STAND_IN_PREFIX):].isdigit():
        return int(stem[len(STAND_IN_PREFIX):])
    return None
