"""compact-tui: look up, log and report on England's Local Compacts."""

__version__ = "0.1.0"
