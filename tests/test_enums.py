"""The enum table (`schemas/enums.json`) and the kind schemas agree: every enum a schema holds is
in the table with its source page, with exactly the same values, and the table lists no enum the
schemas lack. Changing an enum in one place only fails here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faqlint.enums import enum_table, schema_at, schema_enums
from faqlint.schema import load_schemas

TABLE = Path(__file__).resolve().parent.parent / "schemas" / "enums.json"
RAW = json.loads(TABLE.read_text(encoding="utf-8"))
KINDS = sorted(load_schemas())


def test_the_table_names_every_kind_and_no_other() -> None:
    assert sorted(RAW["kinds"]) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_schema_enums_are_the_tables(kind: str) -> None:
    in_schema = schema_enums(load_schemas()[kind].schema)
    in_table = {at: list(values) for at, values in enum_table()[kind].enums.items()}
    for at in sorted(set(in_schema) | set(in_table)):
        assert in_schema.get(at) == in_table.get(at), (
            f"{kind} {at}: the schema says {in_schema.get(at)}, schemas/enums.json says "
            f"{in_table.get(at)}; an enum is changed in both, with the page its values come from"
        )


@pytest.mark.parametrize("kind", KINDS)
def test_every_enum_has_a_source_page(kind: str) -> None:
    for entry in RAW["kinds"][kind]["enums"]:
        assert entry["source"].startswith("https://learn.microsoft.com/"), entry["at"]
        assert entry["values"], entry["at"]
        assert len(set(entry["values"])) == len(entry["values"]), entry["at"]
        assert None not in entry["values"], "null is said with nullable, not listed"
        for value in entry.get("betaOnly", ()):
            assert value in entry["values"] and "beta" in entry, (entry["at"], value)


@pytest.mark.parametrize("kind", KINDS)
def test_every_location_is_a_modelled_value(kind: str) -> None:
    schema = load_schemas()[kind].schema
    for at in enum_table()[kind].enums:
        assert schema_at(schema, tuple(p for p in at.split("/") if p)) is not None, at


def test_graph_values_first_readers_forget() -> None:
    """The members of Graph's evolvable enums that a first reading of the v1.0 pages misses."""
    ca = enum_table()["ConditionalAccessPolicy"].enums
    assert {"windowsPhone", "unknownFutureValue"} <= set(
        ca["/conditions/platforms/includePlatforms/*"]
    )
    assert "easSupported" in ca["/conditions/clientAppTypes/*"]
    assert {"riskRemediation", "unknownFutureValue"} <= set(ca["/grantControls/builtInControls/*"])


def test_exchange_kinds_read_case_insensitively_and_graph_kinds_do_not() -> None:
    table = enum_table()
    exchange = {k for k, v in table.items() if v.case_insensitive}
    assert exchange == {
        "ActiveSyncDeviceAccessRule",
        "ActiveSyncOrganizationSettings",
        "CASMailbox",
        "ExchangeOrganizationConfig",
        "IRMConfiguration",
    }
