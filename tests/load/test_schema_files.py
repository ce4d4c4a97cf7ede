"""The JSON Schema files shipped for editors: generated from the model, and they accept and reject what bookpress does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from bookpress.load.schema.export import SCHEMAS, SHIPPED, schema_text
from bookpress.scaffold import create_manuscript

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "manuscript"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def validator(stem: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SHIPPED / f"{stem}.schema.json").read_text(encoding="utf-8")))


def problems(stem: str, document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(stem).iter_errors(document)]


@pytest.mark.parametrize("stem", sorted(SCHEMAS))
def test_shipped_schema_equals_a_fresh_generation(stem: str) -> None:
    shipped = (SHIPPED / f"{stem}.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(stem), "run `python -m bookpress.load.schema.export` after changing the schema models"
    Draft202012Validator.check_schema(json.loads(shipped))


def test_the_demo_manuscript_validates() -> None:
    book = yaml.safe_load((DEMO / "book.yaml").read_text(encoding="utf-8"))
    assert problems("book", book) == []
    for chapter in book["chapters"]:
        assert problems("chapter", yaml.safe_load((DEMO / chapter).read_text(encoding="utf-8"))) == [], chapter
    photosets = sorted(DEMO.rglob("photoset.yaml"))
    assert photosets
    for path in photosets:
        assert problems("photoset", yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


@pytest.mark.parametrize(("stem", "document", "where"), [
    ("book", {"chapters": ["a.yaml"]}, ""),  # no title
    ("book", {"title": "T", "chapters": ["a.yaml"], "paper": "glossy"}, "paper"),
    ("book", {"title": "T", "chapters": ["a.yaml"], "format": {"trim": "a4", "bleeed": "3mm"}}, "format"),
    ("book", {"title": "T", "chapters": ["a.yaml"], "front_matter": ["preface"]}, "front_matter/0"),
    ("chapter", {"title": "C", "blocks": [{"photo": "a.jpg", "captoin": "typo"}]}, "blocks/0"),
    ("chapter", {"title": "C", "blocks": [{"photo": "a.jpg", "focus": [1.5, 0.5]}]}, "blocks/0"),
    ("chapter", {"title": "C", "blocks": [{"pagebreak": "left"}]}, "blocks/0"),
    ("chapter", {"title": "C", "blocks": [{}]}, "blocks/0"),
    ("chapter", {"title": "C", "blocks": "not a list"}, "blocks"),
    ("photoset", {"photos": [{"caption": "no file"}]}, "photos/0"),
])
def test_a_broken_file_is_rejected_where_it_is_broken(stem: str, document: dict, where: str) -> None:
    found = problems(stem, document)
    assert found, f"{document} should not validate"
    assert any(p.startswith(f"{where}:") for p in found), found


def test_the_sample_manuscript_validates_through_its_modelines(tmp_path: Path) -> None:
    root = tmp_path / "book"
    create_manuscript(root, "Modelines")
    files = sorted(root.rglob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = MODELINE.match(first)
        assert match, f"{path.name} starts with a yaml-language-server modeline"
        schema_path = (path.parent / match.group(1)).resolve()
        assert schema_path.read_text(encoding="utf-8") == (SHIPPED / schema_path.name).read_text(encoding="utf-8")
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        assert list(Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))) == []


def test_keys_are_described_for_editors() -> None:
    book = json.loads((SHIPPED / "book.schema.json").read_text(encoding="utf-8"))
    for key in ("title", "chapters", "printer", "format", "language"):
        assert book["properties"][key].get("description"), key
    chapter = json.loads((SHIPPED / "chapter.schema.json").read_text(encoding="utf-8"))
    photo = chapter["$defs"]["PhotoBlockSchema"]["properties"]
    assert "crop" in photo["fit"]["description"] and "caption" in photo["caption"]["description"].lower()
