"""compact-tui's own folders on Linux are read from the XDG variables by hand (``user_folders.py``,
to keep platformdirs out of every command): they must be the folders platformdirs names."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from compact_tui.user_folders import XDG, user_folder


@pytest.mark.parametrize("value", [None, "", "  ", "/srv/officer/{var}", "relative/{var}", "~/{var}"])
def test_each_folder_is_the_one_platformdirs_names(monkeypatch, tmp_path, value):
    monkeypatch.setenv("HOME", str(tmp_path))
    for kind, (variable, _) in XDG.items():
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value.format(var=variable))
    for kind in XDG:
        folder = user_folder(kind)
        assert isinstance(folder, str)
        assert Path(folder) == getattr(platformdirs, f"user_{kind}_path")("compact-tui", appauthor=False), kind
