"""The errors a user can cause, and the exit code each one ends the command with.

    InspectorError            a one-line message for the user (never a traceback)
    ├── UsageError     2      a bad flag, URL or argument
    │   └── ConfigError 2     a bad profile or option value (names the key)
    │       HistoryError 2    an unknown finding or waiver
    └── StoreError     4      the database (SQLite, or the PostgreSQL a run is published to)
                              cannot be used

Outcomes of checks are values (core.records), never exceptions; these are for bad input and
unusable storage only. The command line catches InspectorError in one place and exits with
its `exit_code`."""

from __future__ import annotations

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_START_PAGE, EXIT_STORE, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


class InspectorError(Exception):
    """A problem to report to the user in one line."""

    exit_code = EXIT_USAGE


class UsageError(InspectorError):
    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A bad profile, flag or value: the message is one line naming the key."""


class HistoryError(UsageError):
    """An unknown finding or waiver reference."""


class StoreError(InspectorError):
    """The database cannot be used (missing, corrupt, locked, of another version)."""

    exit_code = EXIT_STORE
