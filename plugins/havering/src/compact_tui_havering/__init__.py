"""The havering Local Compact as a compact-tui plugin: its content is in compact.toml."""

from importlib.resources import files

from compact_tui.hookspecs import hookimpl


@hookimpl
def compact_tui_register_compacts(register):
    register(content=files(__name__) / "compact.toml")
