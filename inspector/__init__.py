"""portal-inspector: inspect Chinese government portals the way inspectors do."""

__version__ = "0.1.0"
