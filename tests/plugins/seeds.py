"""Where the compacts' source texts are: the folder named by ``$COMPACT_TUI_SEEDS``, else
``shared/seeds`` beside the checkout (as CI has them) or inside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_ENV = "COMPACT_TUI_SEEDS"
#: The reason every test skipped for want of the texts gives (the run's summary counts them).
NO_SEEDS = "the seed texts (shared/seeds) are not next to this checkout"


def seed_folders() -> list[Path]:
    named = os.environ.get(SEEDS_ENV)
    if named:
        return [Path(named).expanduser()]
    return [REPO_ROOT.parent / "shared" / "seeds", REPO_ROOT / "shared" / "seeds"]


def seed_path(name: str) -> Path | None:
    """The seed text ``name`` (e.g. ``essex.txt``), or ``None`` if shared/seeds is not here."""
    for folder in seed_folders():
        if (folder / name).exists():
            return folder / name
    return None


def read_seed(name: str) -> str:
    """The seed text's words; skips the test where shared/seeds is not beside the checkout."""
    path = seed_path(name)
    if path is None:
        pytest.skip(NO_SEEDS)
    return path.read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, so a clause can be found in the text across line breaks."""
    return " ".join(text.split())
