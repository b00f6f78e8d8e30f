"""Where reports go (issue 12, part 6): a documented default folder, one the officer can
set, and the full path said back."""

from __future__ import annotations

from pathlib import Path

import pytest

from compact_tui.config import CONFIG_ENV, REPORTS_ENV, reports_folder
from compact_tui.errors import UserError


@pytest.fixture
def home(monkeypatch, tmp_path) -> Path:
    """A home folder of the test's own, with no XDG settings and no config file."""
    for name in ("XDG_CONFIG_HOME", "XDG_DOCUMENTS_DIR", REPORTS_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "config.toml"))
    return tmp_path


def test_the_default_is_compact_tui_in_the_documents_folder(home):
    assert reports_folder() == home / "Documents" / "compact-tui"  # as the README says


def test_the_config_names_another_folder(home):
    (home / "config.toml").write_text('[reports]\nfolder = "~/team/reports"\n')
    assert reports_folder() == home / "team" / "reports"


def test_the_environment_wins_over_the_config(home, monkeypatch):
    (home / "config.toml").write_text('[reports]\nfolder = "~/team/reports"\n')
    monkeypatch.setenv(REPORTS_ENV, str(home / "elsewhere"))
    assert reports_folder() == home / "elsewhere"


@pytest.mark.parametrize("value", ['3', '""', '["a"]'])
def test_a_folder_that_is_not_a_folder_name_is_one_sentence(home, value):
    (home / "config.toml").write_text(f"[reports]\nfolder = {value}\n")
    with pytest.raises(UserError, match=r"\[reports\] folder must name a folder"):
        reports_folder()


def test_the_command_line_says_the_full_path_it_wrote(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = cli("report", "annual", "--compact", "essex", "--year", "2026", "-o", "essex.md")
    assert result.code == 0, result.err
    assert result.err == f"Wrote {tmp_path / 'essex.md'}.\n"
    assert (tmp_path / "essex.md").read_text().startswith("#")
