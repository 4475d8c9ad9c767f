"""Reading TOML on every supported Python: the standard library's tomllib from 3.11, its backport
tomli (the same code, a declared dependency there) on 3.10."""

import sys

if sys.version_info >= (3, 11):
    from tomllib import TOMLDecodeError, load, loads
else:  # pragma: no cover - exercised by CI's Python 3.10 run
    from tomli import TOMLDecodeError, load, loads

__all__ = ["TOMLDecodeError", "load", "loads", "read"]


def read(path, where: str) -> dict:
    """The TOML file at `path`, or ConfigError naming `where` (one line: unreadable, or not TOML)."""
    from core.errors import ConfigError

    try:
        with open(path, "rb") as fh:
            return load(fh)
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
