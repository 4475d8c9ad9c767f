"""Reports and exports, rendered from the store: one writer per format, chosen from a dict."""

from reports.export import WRITERS

__all__ = ["WRITERS"]
