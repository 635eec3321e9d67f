"""Readers for raw exports (no faqlint envelope). Each adapter is a function
`(document, path, forced_kind) -> list[Resource] | None`: None when the document is not its
format, a list (possibly empty) when it read it. They are tried in the order of `ADAPTERS`; the
first that recognises a document wins.

Graph objects say what they are, so they come first; a ScubaGear export is recognised by its
sections; PowerShell output says nothing about itself and is read only for files the config maps
to a kind (`forced_kind`), last, so that a self-describing export is never forced into a kind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from faqlint.identify import Adapter

    ADAPTERS: tuple[Adapter, ...]


def __getattr__(name: str) -> tuple[Adapter, ...]:
    """`ADAPTERS`, imported with its readers on first use: a module of this package (the
    coverage of exports by the rules) does not need the readers."""
    if name != "ADAPTERS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from faqlint.adapters.graph import read_graph
    from faqlint.adapters.powershell import read_powershell
    from faqlint.adapters.scubagear import read_scubagear

    adapters: tuple[Adapter, ...] = (read_graph, read_scubagear, read_powershell)
    globals()["ADAPTERS"] = adapters  # looked up here from now on, without this function
    return adapters
