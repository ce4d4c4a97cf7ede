"""pydantic's error locations -> paths into the author's data, and the types expected along them.

pydantic puts union branches into an error's location ("quote", "QuoteBody", "text");
the author wrote ("quote", "text"). Walking the location through the model's
annotations separates the two and says what type each step expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Optional, Union, get_args, get_origin

from pydantic import BaseModel


@dataclass(frozen=True)
class Walked:
    path: tuple  # the location in the author's data
    annotation: Any  # the type expected at `path` (None when unknown)
    parent: Any  # the type that holds the last key of `path`
    union_at: Optional[tuple] = None  # where pydantic tried the branches of a union, if it did
    union: Any = None  # that union
    branch: Any = None  # the branch this error came from


def walk(model: type[BaseModel], loc: tuple) -> Walked:
    path: list = []
    union_at = union = branch = None
    annotation: Any = model
    parent: Any = None
    for part in loc:
        annotation = without_none(annotation)
        if is_union(annotation):
            chosen = _branch(annotation, part)
            if union_at is None:
                union_at, union, branch = tuple(path), annotation, chosen
            annotation = chosen
            continue
        parent = annotation
        path.append(part)
        annotation = _child(annotation, part)
    return Walked(tuple(path), without_none(annotation), parent, union_at, union, branch)


def _child(annotation: Any, part: Any) -> Any:
    if is_model(annotation):
        field = next((f for name, f in annotation.model_fields.items() if (f.alias or name) == str(part)), None)
        return field.annotation if field else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list and args:
        return args[0]
    if origin is tuple and args and isinstance(part, int):
        return args[min(part, len(args) - 1)]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _branch(annotation: Any, tag: Any) -> Any:
    """The union member pydantic tagged `tag`: 'str', 'QuoteBody', or 'function-after[..., constrained-str]'."""
    members = [base(arg) for arg in get_args(annotation)]
    for member in members:
        if _type_name(member) == tag:
            return member
    for member in members:
        if re.search(rf"\b{re.escape(_type_name(member))}\b", str(tag)):
            return member
    return None


def _type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    origin = get_origin(annotation)
    if origin is Literal:
        return "literal[" + ",".join(repr(a) for a in get_args(annotation)) + "]"
    return str(annotation)


def is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, UnionType)


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def without_none(annotation: Any) -> Any:
    """Optional[X] -> X: a missing optional value is never an error, so None says nothing."""
    annotation = base(annotation)
    if is_union(annotation):
        args = [a for a in get_args(annotation) if a is not NoneType]
        if len(args) == 1:
            return base(args[0])
    return annotation


def base(annotation: Any) -> Any:
    """Annotated[str, constraints...] -> str."""
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def fields_of(annotation: Any) -> list[str]:
    """The keys an author may write here (a field's alias when it has one: 'for', not 'for_')."""
    return [f.alias or name for name, f in annotation.model_fields.items()] if is_model(annotation) else []


def value_at(data: Any, path: tuple) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
