"""Data, figures and build for the report on Iran and the regional powers in the
Nagorno-Karabakh conflict.

Notebooks import this package as ``import nkreport as nk`` and call:

- :func:`nk.load` to read tables from ``data/`` (typed pandas frames),
- :func:`nk.figure` to draw and show a numbered figure from the catalogue,
- :func:`nk.table` to show a numbered table,
- :func:`nk.findings` to show findings sentences computed from the tables.

Heavy modules (frictionless, nbclient, weasyprint) are imported lazily so that a
no-op build stays fast.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["load", "figure", "table", "findings", "__version__"]


def __getattr__(name: str):
    # Lazy attribute access keeps `import nkreport` cheap for the build driver.
    # import_module, not "from . import x": the latter asks this very hook for x first.
    from importlib import import_module

    if name == "load":
        return import_module("nkreport.data").load
    if name in {"figure", "table", "findings", "prose", "markdown_file"}:
        return getattr(import_module("nkreport.display"), name)
    if name == "story":
        return import_module("nkreport.story")
    raise AttributeError(name)
