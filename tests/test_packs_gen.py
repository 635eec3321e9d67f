"""The shipped packs' validated form (`faqlint/builtin_packs.json`) is what pydantic makes of
the packs, and a run uses it only for exactly the files it was made from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from faqlint import policy
from faqlint.packs_gen import generated, main
from faqlint.policy import (
    SHIPPED_FORM,
    PolicyError,
    load_policies,
    pack_files,
    validate_pack,
)
from faqlint.resources import builtin_policies


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAQLINT_NO_CACHE", "1")


def test_committed_form_is_what_pydantic_makes_of_the_packs() -> None:
    committed = SHIPPED_FORM.read_text(encoding="utf-8")
    assert committed == generated(), "builtin_packs.json drifted: run python -m faqlint.packs_gen"
    assert main(["--check"]) == 0


def test_the_shipped_packs_load_from_the_form_as_validated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = builtin_policies()
    validated = [validate_pack(path, data) for path, _, data in pack_files([folder], 1)]
    calls: list[Path] = []
    monkeypatch.setattr(policy, "validate_pack", lambda path, data: calls.append(path) or ())
    loaded = load_policies([folder])
    assert calls == []  # nothing validated again at run time
    documents = [d for file in validated for d in file]
    rules = [r for d in documents if isinstance(d, policy.PolicyPack) for r in d.rules]
    assert [r.rule for r in loaded.rules] == sorted(rules, key=lambda r: r.code)
    tables = {d.metadata.name: d.data for d in documents if isinstance(d, policy.PolicyData)}
    assert loaded.data == tables
    assert {r.source for r in loaded.rules} <= {str(p) for p in folder.rglob("*.yaml")}


def test_every_shipped_rule_compiles() -> None:
    for rule in load_policies([builtin_policies()]).rules:
        rule.compile_all()  # a run compiles them on first use only


def test_an_edited_builtin_pack_is_validated(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(builtin_policies(), folder)
    pack = next(folder.rglob("ews.yaml"))
    pack.write_text(pack.read_text(encoding="utf-8") + "    colour: red\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="unknown key 'colour'"):
        load_policies([folder])


def test_a_copy_of_the_shipped_packs_loads_as_they_do(tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    shutil.copytree(builtin_policies(), folder)
    copied = load_policies([folder])
    shipped = load_policies([builtin_policies()])
    assert [r.rule for r in copied.rules] == [r.rule for r in shipped.rules]
    assert {r.source for r in copied.rules} <= {str(p) for p in folder.rglob("*.yaml")}


def test_a_user_pack_that_does_not_compile_fails_at_load(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: PolicyPack\nmetadata: {name: mine}\nrules:\n"
        "- code: XY001\n  name: mine\n  severity: error\n  summary: s\n  faq: f\n"
        "  rationale: r\n  fix: x\n  given: {kinds: [CASMailbox]}\n"
        "  validations: [{assert: 'true', message: 'm {{ spec.( }}'}]\n"
        "  examples:\n    fail: [{resources: [{kind: CASMailbox}]}]\n"
        "    pass: [{resources: [{kind: CASMailbox}]}]\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="XY001: validation 1 message does not compile"):
        load_policies([builtin_policies(), folder])


def test_a_form_made_for_other_models_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from_the_form = [r.rule for r in load_policies([builtin_policies()]).rules]
    monkeypatch.setattr(policy, "models_digest", lambda: "another version of packs.py")
    validated: list[Path] = []
    real = policy.validate_pack

    def counting(path: Path, data: bytes) -> tuple[object, ...]:
        validated.append(path)
        return real(path, data)

    monkeypatch.setattr(policy, "validate_pack", counting)
    rules = load_policies([builtin_policies()]).rules
    assert len(validated) == len(list(builtin_policies().rglob("*.yaml")))
    assert [r.rule for r in rules] == from_the_form
