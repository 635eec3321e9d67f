"""Grouping from file summaries (`runfiles.place`) says what grouping every resource
(`tenants.group`) says: the same tenants, the same members in the same order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from faqlint.identify import Resource
from faqlint.results import FileResult
from faqlint.runfiles import RunFiles, place
from faqlint.tenants import arrange, group

FOLDERS = ("", "a", "a/b", "a/b/c", "d")
KINDS = ("Tenant", "CASMailbox", "ExchangeOrganizationConfig")
NAMES = ("contoso", "tailspin", "m1")


@st.composite
def resource_specs(draw: Any) -> tuple[str, str, str | None]:
    kind = draw(st.sampled_from(KINDS))
    name = draw(st.sampled_from(NAMES))
    tenant = draw(st.one_of(st.none(), st.sampled_from(NAMES)))
    return kind, name, tenant


@st.composite
def projects(draw: Any) -> dict[str, list[tuple[str, str, str | None]]]:
    files = draw(st.lists(st.sampled_from(FOLDERS), min_size=1, max_size=6))
    project: dict[str, list[tuple[str, str, str | None]]] = {}
    for number, folder in enumerate(files):
        display = f"{folder}/f{number}.yaml".lstrip("/")
        project[display] = draw(st.lists(resource_specs(), max_size=3))
    return project


def _resources(display: str, specs: list[tuple[str, str, str | None]]) -> list[Resource]:
    return [
        Resource(
            kind=kind,
            name=name,
            file=display,
            document=document,
            spec={},
            metadata={"name": name, **({"tenant": tenant} if tenant else {})},
        )
        for document, (kind, name, tenant) in enumerate(specs, start=1)
    ]


@settings(max_examples=200, deadline=None)
@given(project=projects(), named=st.data())
def test_placing_files_groups_as_grouping_resources_does(
    project: dict[str, list[tuple[str, str, str | None]]], named: Any
) -> None:
    def never(source: Any) -> Any:
        raise AssertionError("nothing is read again without a cache")

    files = RunFiles(None, never)
    everything: list[Resource] = []
    for display, specs in sorted(project.items()):
        resources = _resources(display, specs)
        everything += resources
        files.add_read(_source(display), FileResult(display, resources, [], True, (), {}))
    chosen = frozenset(named.draw(st.sets(st.sampled_from(sorted(project)))))
    reported, count = place(files, chosen)
    tenants, duplicates = group(everything)
    assert count == len(tenants)
    expected = [t for t in tenants if any(r.file in chosen for r in t.resources)]
    assert [t.name for t in reported] == [t.name for t in expected]
    placed_duplicates = []
    for placed, tenant in zip(reported, expected, strict=True):
        (_, members), found = arrange(placed.name, files.members(placed))
        assert [files.resource(h) for h in members] == list(tenant.resources)
        placed_duplicates += found
    names = {t.name for t in expected}
    assert placed_duplicates == [d for d in duplicates if d.tenant in names]


def _source(display: str) -> Any:
    from faqlint.discover import SourceFile

    return SourceFile(f"/project/{display}", display)
