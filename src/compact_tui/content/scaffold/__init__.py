"""``compact-tui plugin new``: write a new locality's plugin package from templates."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import UserError

TEMPLATE_DIR = Path(__file__).parent / "template"


def slug(name: str) -> str:
    """``Castle Point`` -> ``castle_point``."""
    text = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    if not text or not text[0].isalpha():
        raise UserError(f"{name!r} cannot be a plugin name: start with a letter, e.g. 'Castle Point'.")
    return text


def create_plugin(name: str, parent: Path) -> Path:
    """Create ``parent/<slug>`` with a package that installs, registers and passes the checks."""
    ident = slug(name)
    folder = parent / ident
    if folder.exists():
        raise UserError(f"{folder} already exists; choose another name or remove it first.")
    from ..file_format import FORMAT

    values = {
        "FORMAT": str(FORMAT),
        "ID": ident,
        "DIST": ident.replace("_", "-"),
        "TITLE": " ".join(w.capitalize() for w in re.split(r"[\s_]+", name.strip()) if w),
    }
    files = {
        "pyproject.toml": "pyproject.toml.tmpl",
        f"src/compact_tui_{ident}/__init__.py": "plugin_init.py.tmpl",
        f"src/compact_tui_{ident}/compact.toml": "compact.toml.tmpl",
        "tests/test_conformance.py": "test_conformance.py.tmpl",
        "README.md": "README.md.tmpl",
    }
    written = []
    try:
        for target, template in files.items():
            text = (TEMPLATE_DIR / template).read_text(encoding="utf-8")
            for key, value in values.items():
                text = text.replace("{{" + key + "}}", value)
            path = folder / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise UserError(f"could not write {folder}: {exc.strerror or exc}.") from None
    return folder
