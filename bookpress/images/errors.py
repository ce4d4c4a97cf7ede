"""Bad image files -> exceptions whose message names the file, the problem and the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable


class ImageProblem(Exception):
    """An image that cannot be used; str() is "<file>: <what is wrong>"."""

    def __init__(self, path: Path | str, reason: str | None = None):
        self.path = None if reason is None else Path(path)
        self.reason = str(path) if reason is None else reason
        super().__init__(self.reason if reason is None else f"{path}: {reason}")

    def __reduce__(self):  # survive the trip back from a worker process
        return (_rebuild, (type(self), self.path, self.reason, self.args))


class ImageProblems(ImageProblem):
    """Several images failed in one batch; each is kept in `problems`."""

    def __init__(self, problems: Iterable[ImageProblem]):
        self.problems = tuple(problems)
        self.path = None
        self.reason = "\n".join(str(p) for p in self.problems)
        Exception.__init__(self, self.reason)

    def __reduce__(self):
        return (ImageProblems, (self.problems,))


def _rebuild(cls, path, reason, args):
    problem = cls.__new__(cls)
    problem.path, problem.reason, problem.args = path, reason, args
    return problem
