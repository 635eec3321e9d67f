"""Readers for raw exports (no faqlint envelope). Each adapter is a function
`(document, path, forced_kind) -> list[Resource] | None`: None when the document is not its
format. They are tried in the order of `ADAPTERS`; the first that recognises a document wins."""

from __future__ import annotations

from faqlint.identify import Adapter

ADAPTERS: tuple[Adapter, ...] = ()
