"""The README's table of trims is the presets' own: documentation an author relies on must not drift."""

from __future__ import annotations

import re

from conftest import REPO

from bookpress.load.printers import PRESETS


def readme_trims() -> dict[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| preset | trims (inches) |"):]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", table.split("\n\n")[0], re.MULTILINE)
    return {name: trims.strip() for name, trims in rows}


def test_every_preset_is_in_the_readme_with_its_trims() -> None:
    documented = readme_trims()
    assert set(documented) == set(PRESETS)
    for name, preset in PRESETS.items():
        if preset.trims_in:
            listed = documented[name].removesuffix(" (U)")
            assert listed == ", ".join(f"{w:g}x{h:g}" for w, h in preset.trims_in), name
        else:
            assert documented[name].startswith("any"), name
