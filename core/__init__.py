"""The core every layer stands on: URLs, configuration, errors, the records that pass between
layers, and the store (SQLite schema, writer, the facts API the rules read, finding history).

Nothing here imports crawler/, rules/, reports/ or inspector/ (tests/test_layering.py)."""

__version__ = "0.1.0"
