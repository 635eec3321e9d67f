"""Nothing a user can write makes faqlint crash: any YAML or JSON value in any place of any kind
is a finding or nothing, and the exit code is 0 or 1, never 2 and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faqlint.cli import main
from faqlint.run import load_catalogue

KINDS = sorted(load_catalogue().kinds)

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=12)
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


def _spec_keys(kind: str) -> list[str]:
    schema = load_catalogue().schemas[kind].schema
    return sorted(schema["$defs"]["spec"].get("properties", {}))


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(KINDS))
    keys = _spec_keys(kind)
    spec = draw(st.dictionaries(st.sampled_from(keys) if keys else st.text(), _values, max_size=6))
    return {"apiVersion": "faqlint/v1", "kind": kind, "metadata": {"name": "x"}, "spec": spec}


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(documents=st.lists(_documents(), min_size=1, max_size=4))
def test_any_values_in_any_kind_never_crash(
    documents: list[dict[str, object]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fuzz.json"  # outside any project: only this file is read
    for index, document in enumerate(documents):
        document["metadata"] = {"name": f"r{index}"}
        path.write_text(json.dumps(document, allow_nan=True))
        code = main(["check", str(path), "--format", "json"])
        out, err = capsys.readouterr()
        assert code in {0, 1}, err
        assert not err
        report = json.loads(out)
        assert all(f["line"] >= 1 and f["column"] >= 1 for f in report["findings"])
