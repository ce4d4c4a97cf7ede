"""A pydantic ValidationError -> diagnostics an author can act on (key, line, what was expected, a suggestion).

pydantic reports against its models: union branches appear in the location
("quote", "str"), messages speak of "valid dictionary or instance of ...". Here each
error is walked back to the author's keys, the union branch that matches what the
author wrote is kept (the others are noise), and the message names the key, what
was expected and what was found.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Literal, Optional, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ...diagnostics import did_you_mean
from .walk import Walked, base, fields_of, is_model, value_at, walk, without_none

Report = Callable[[tuple, str, Optional[str], bool], None]  # (data path, message, hint, about the value itself)


def report_validation(exc: ValidationError, model: type[BaseModel], data: Any, report: Report) -> None:
    """Turn every error of `exc` (validating `data` against `model`) into report(path, message, hint) calls."""
    errors = [(err, walk(model, err["loc"])) for err in exc.errors()]
    errors = _keep_matching_branches(errors, data)
    unknown = {(w.path[:-1], did_you_mean(str(w.path[-1]), fields_of(w.parent)))
               for err, w in errors if err["type"] == "extra_forbidden"}
    for err, walked in errors:
        if err["type"] == "missing" and (walked.path[:-1], _suggestion(walked.path[-1])) in unknown:
            continue  # "unknown key 'txt' (did you mean 'text'?)" already says it
        message, hint = _explain(err, walked)
        hint = hint or "see the manuscript format in the README"  # never a problem without a way out
        if err["type"] == "missing":
            report(walked.path[:-1], message, hint, False)
        else:  # an unknown key is shown at the key, a wrong value at the value
            report(walked.path, message, hint, err["type"] != "extra_forbidden")


def _suggestion(name: Any) -> str:
    return f"did you mean '{name}'?"


# -- unions: keep the branch that matches what the author wrote -------------------------------------
def _keep_matching_branches(errors: list, data: Any) -> list:
    by_union: dict[tuple, list] = {}
    kept = []
    for err, walked in errors:
        if walked.union_at is None:
            kept.append((err, walked))
        else:
            by_union.setdefault(walked.union_at, []).append((err, walked))
    for where, group in by_union.items():
        value = value_at(data, where)
        matching = [(e, w) for e, w in group if _kind_matches(w, value)]
        kept.extend(matching or [_union_summary(where, group, value)])
    return kept


def _kind_matches(walked: Walked, value: Any) -> bool:
    """Whether the union branch `walked` took is the one meant for a value like `value`."""
    annotation = walked.branch
    if isinstance(value, dict):
        return is_model(annotation) or get_origin(annotation) is dict
    if isinstance(value, list):
        return get_origin(annotation) in (list, tuple)
    if isinstance(value, bool):
        return annotation is bool
    if isinstance(value, (int, float)):
        return annotation in (int, float)
    if isinstance(value, str):
        return annotation is str or get_origin(annotation) is Literal
    return False


def _union_summary(where: tuple, group: list, value: Any) -> tuple[dict, Walked]:
    """No branch fits the kind of value written: one error naming every kind that would."""
    first = group[0][1]
    kinds = [k for k in dict.fromkeys(_expected(base(arg)) for arg in get_args(first.union)) if k]
    err = {"type": "union", "msg": "", "input": value, "expected": " or ".join(kinds) or "another kind of value"}
    return err, Walked(where, first.union, first.parent)


# -- messages -------------------------------------------------------------------------------
_EXPECTED = {
    "string_type": "text", "bool_type": "true or false", "bool_parsing": "true or false",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "list_type": "a list (one '- ' line an entry)",
    "dict_type": "a mapping (indented 'key: value' lines)", "model_type": "a mapping (indented 'key: value' lines)",
    "model_attributes_type": "a mapping (indented 'key: value' lines)",
    "tuple_type": "a list of two numbers like [0.5, 0.35]", "literal_error": None,
}


_BOUNDS = {"greater_than_equal": ("at least", "ge"), "less_than_equal": ("at most", "le"),
           "greater_than": ("more than", "gt"), "less_than": ("less than", "lt")}


def _expected(annotation: Any) -> str | None:
    annotation = without_none(annotation)
    if annotation is str:
        return "text"
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "a whole number"
    if annotation is float:
        return "a number"
    if is_model(annotation) or get_origin(annotation) is dict:
        return "a mapping (indented 'key: value' lines)"
    if get_origin(annotation) is tuple:
        args = get_args(annotation)
        if all(a is float for a in args):
            return f"a list of {len(args)} numbers" + (" like [0.5, 0.35]" if len(args) == 2 else "")
        return f"a list of {len(args)} values"
    if get_origin(annotation) is list:
        return "a list (one '- ' line an entry)"
    if get_origin(annotation) is Literal:
        return _one_of(get_args(annotation))
    return None


def _one_of(values: tuple) -> str:
    quoted = [f"'{v}'" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def shown(value: Any) -> str:
    """A value as the author wrote it, short."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    text = str(value)
    text = text if len(text) <= 40 else text[:39] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def _name(path: tuple) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int)) or "the document"


def _explain(err: dict, walked: Walked) -> tuple[str, str | None]:
    kind, value, key = err["type"], err.get("input"), _name(walked.path)
    if not walked.path and kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"the file must be a mapping of keys ('key: value' lines), got {shown(value)}", \
            f"start it with one of: {', '.join(fields_of(walked.annotation))}"
    if kind == "extra_forbidden":
        fields = fields_of(walked.parent)
        return (f"unknown key '{walked.path[-1]}'",
                did_you_mean(str(walked.path[-1]), fields) or f"known keys here: {', '.join(fields)}")
    if kind == "missing" and isinstance(walked.path[-1], int):  # a fixed-length list that is too short
        expected = _expected(walked.parent)
        return f"'{_name(walked.path)}': expected {expected}, got fewer", f"write {expected}"
    if kind == "missing":
        return f"missing key '{walked.path[-1]}'", f"add '{walked.path[-1]}:' here"
    if kind == "union":
        return f"'{key}': expected {err['expected']}, got {shown(value)}", f"write {err['expected']} here"
    if kind == "literal_error":
        choices = get_args(walked.annotation) if get_origin(walked.annotation) is Literal else ()
        hint = did_you_mean(str(value), [str(c) for c in choices]) if isinstance(value, str) else None
        if hint is None and choices:
            hint = f"write one of {_one_of(choices)}"
        return f"'{key}': expected {_one_of(choices) if choices else err['msg']}, got {shown(value)}", hint
    if kind == "value_error":
        reason = err["msg"].removeprefix("Value error, ")
        if reason == "must not be empty":
            return f"'{key}' must not be empty", f"write it after '{walked.path[-1]}:'"
        return f"'{key}': {reason}", "correct the value after the colon"
    if kind in ("too_long", "too_short") and get_origin(walked.annotation) is tuple:
        expected = _expected(walked.annotation)
        return f"'{key}': expected {expected}, got {shown(value)}", f"write {expected}"
    if kind == "too_short":
        return f"'{key}' needs at least one entry", f"add one under '{walked.path[-1]}:', each on a '- ' line"
    if kind == "string_too_short":
        return f"'{key}' must not be empty", f"write it after '{walked.path[-1]}:'"
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return f"'{key}' is too long ({len(str(value))} characters, at most {limit})", "shorten it"
    if kind in _BOUNDS:
        words, bound = _BOUNDS[kind]
        limit = err.get("ctx", {}).get(bound)
        return f"'{key}' must be {words} {limit}, got {shown(value)}", f"write a value {words} {limit}"
    if kind in _EXPECTED or kind.endswith("_type"):
        expected = _expected(walked.annotation) or _EXPECTED.get(kind) or err["msg"]
        return f"'{key}': expected {expected}, got {shown(value)}", _type_hint(expected, value) or \
            f"write {expected} after '{walked.path[-1] if walked.path else 'the key'}:'"
    return f"'{key}': {err['msg']}", "see the manuscript format in the README"


def _type_hint(expected: str, value: Any) -> str | None:
    if value is None:
        return "write the value after the colon, or remove the key"
    if isinstance(value, bool) and expected == "text":
        return "put the text in quotes: YAML reads yes, no, on, off, true and false as true or false"
    if isinstance(value, (dict, list)) and expected == "text":
        return "put text with ': ', '- ', '[' or '{' in quotes"
    return None


# -- salvage: what can still be used of data with errors ----------------------------------------
PLACEHOLDER = "?"  # stands in for a missing required text, so that later stages can look at the rest


def salvage(model: type[BaseModel], data: Any, attempts: int = 6) -> BaseModel | None:
    """`data` as `model` with every offending value removed (its default used) and missing texts filled in.

    Used once the errors have been reported: the rest of the file still goes through
    the later checks, so the author sees their problems in the same run.
    """
    data = copy.deepcopy(data)
    for _ in range(attempts):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            paths = sorted({(walk(model, e["loc"]).path, e["type"] == "missing") for e in exc.errors()},
                           key=lambda item: [str(p) for p in item[0]], reverse=True)
            if not any([_repair(data, path, missing) for path, missing in paths]):
                return None
    return None


def _repair(data: Any, path: tuple, missing: bool) -> bool:
    if not path:
        return False
    parent = value_at(data, path[:-1]) if len(path) > 1 else data
    key = path[-1]
    if missing:
        if isinstance(parent, dict) and key not in parent:
            parent[key] = PLACEHOLDER
            return True
        return False
    if isinstance(parent, dict) and key in parent:
        del parent[key]
        return True
    if isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
        del parent[key]
        return True
    return False
