"""Where the compacts' source texts are: beside the checkout (as CI has them) or inside it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def seed_path(name: str) -> Path | None:
    """The seed text ``name`` (e.g. ``essex.txt``), or ``None`` if shared/seeds is not here."""
    for folder in (REPO_ROOT.parent / "shared" / "seeds", REPO_ROOT / "shared" / "seeds"):
        if (folder / name).exists():
            return folder / name
    return None
