"""Tests of the core: the contract, the plugin author's kit and the command line."""
