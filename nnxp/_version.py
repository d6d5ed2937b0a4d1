"""The version of nnxp: one place, read by the package, the checkpoints and pyproject.toml."""

__version__ = "0.1.0"
