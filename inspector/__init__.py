"""portal-inspector: inspect Chinese government portals the way inspectors do.

The application layer: the command line, the demo, the coordinator of distributed runs and
the inspection of one site (crawl → columns → rules → findings), over core/, crawler/, rules/
and reports/."""

from core import __version__

__all__ = ["__version__"]
