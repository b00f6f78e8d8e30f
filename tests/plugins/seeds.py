"""Where the compacts' source texts are: beside the checkout (as CI has them) or inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def seed_path(name: str) -> Path | None:
    """The seed text ``name`` (e.g. ``essex.txt``), or ``None`` if shared/seeds is not here."""
    for folder in (REPO_ROOT.parent / "shared" / "seeds", REPO_ROOT / "shared" / "seeds"):
        if (folder / name).exists():
            return folder / name
    return None


def read_seed(name: str) -> str:
    """The seed text's words; skips the test where shared/seeds is not beside the checkout."""
    path = seed_path(name)
    if path is None:
        pytest.skip("the seed texts (shared/seeds) are not next to this checkout")
    return path.read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, so a clause can be found in the text across line breaks."""
    return " ".join(text.split())
