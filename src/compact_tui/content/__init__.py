"""A compact and how it arrives: the model, the format, reading TOML, the check, plugins, the registry and its cache."""
