"""Configuration: discovery, strictness (exit 2 naming the key), and the keys that shape a run."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import TypeAdapter

from faqlint.cli import main
from faqlint.config import (
    Config,
    ConfigError,
    check_codes,
    check_kinds,
    find_config,
    load_config,
    parse_size,
)

ORG = """\
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata: {name: org}
spec:
  EwsApplicationAccessPolicy: EnforceAllowList
  EwsAllowList: ["Outlook-iOS/*"]
"""
CODES = {"OM202": "ews-allowlist-missing-outlook-mobile", "OM204": "ews-list-inert"}


def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_typo_in_a_key_is_exit_2_naming_the_key(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, ".faqlint.yaml", "fail-on: error\nselct: [OM2]\n")
    write(tmp_path, "org.yaml", ORG)
    code, out, err = run(tmp_path, monkeypatch, capsys, "check")
    assert code == 2
    assert out == ""
    assert err.strip() == (
        "faqlint: .faqlint.yaml:2:1: unknown key 'selct'; did you mean 'select'?"
    )


def test_a_typo_inside_per_file_ignores_names_the_nested_key(tmp_path) -> None:
    path = write(
        tmp_path, ".faqlint.yaml", "per-file-ignores:\n  'a/**': {rules: [OM202], reson: x}\n"
    )
    with pytest.raises(
        ConfigError,
        match=r"unknown key 'per-file-ignores\.a/\*\*\.reson'; "
        r"did you mean 'reason'\?",
    ):
        load_config(path, tmp_path)


def test_a_bad_value_and_a_bad_date_are_config_errors(tmp_path) -> None:
    path = write(tmp_path, ".faqlint.yaml", "fail-on: errors\n")
    with pytest.raises(ConfigError, match="fail-on: Input should be 'error', 'warning' or 'info'"):
        load_config(path, tmp_path)
    path.write_text("per-file-ignores:\n  x: {rules: [OM202], until: 2027-13-01}\n")
    with pytest.raises(ConfigError, match="until"):
        load_config(path, tmp_path)


def test_an_unknown_rule_in_the_config_is_exit_2_with_did_you_mean(
    tmp_path, monkeypatch, capsys
) -> None:
    write(tmp_path, ".faqlint.yaml", "ignore: [OM2O4]\n")
    write(tmp_path, "org.yaml", ORG)
    code, _, err = run(tmp_path, monkeypatch, capsys, "check")
    assert code == 2
    assert "unknown rule 'OM2O4'; did you mean 'OM204'?" in err
    assert len(err.strip().splitlines()) == 1


def test_check_codes_accepts_codes_names_prefixes_but_severity_takes_no_prefix() -> None:

    check_codes(_config({"select": ["OM2", "ews-list-inert", "OM202"]}), CODES, None)
    with pytest.raises(ConfigError, match="severity: unknown rule 'OM2'"):
        check_codes(_config({"severity": {"OM2": "info"}}), CODES, None)
    with pytest.raises(ConfigError, match=r"per-file-ignores\.x: unknown rule 'OM9'"):
        check_codes(_config({"per-file-ignores": {"x": ["OM9"]}}), CODES, None)


def test_check_kinds_names_the_unknown_kind() -> None:

    config = _config({"kinds": {"exports/org.json": "ExchangeOrgConfig"}})
    with pytest.raises(ConfigError, match="did you mean 'ExchangeOrganizationConfig'"):
        check_kinds(config, ["ExchangeOrganizationConfig", "Tenant"], None)


def test_the_nearest_config_upward_wins_and_pyproject_counts_only_with_tool_faqlint(
    tmp_path: Path,
) -> None:
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    write(tmp_path, ".faqlint.yaml", "fail-on: info\n")
    write(tmp_path / "a", "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(inner) == tmp_path / ".faqlint.yaml"
    write(tmp_path / "a", "pyproject.toml", "[tool.faqlint]\nfail-on = 'warning'\n")
    loaded = load_config(None, inner)
    assert loaded.path == tmp_path / "a" / "pyproject.toml"
    assert loaded.config.fail_on == "warning"
    assert loaded.root == (tmp_path / "a").resolve()


def test_pyproject_config_is_strict_too(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.faqlint]\nfail-on = 'info'\nexlude = ['x']\n")
    with pytest.raises(
        ConfigError,
        match=r"pyproject.toml:3:1: unknown key 'exlude'; "
        r"did you mean 'exclude'\?",
    ):
        load_config(None, tmp_path)


def test_a_missing_explicit_config_is_exit_2(tmp_path, monkeypatch, capsys) -> None:
    code, _, err = run(tmp_path, monkeypatch, capsys, "check", "--config", "nope.yaml")
    assert code == 2
    assert "nope.yaml: no such config file" in err


def test_an_explicit_config_wins_over_the_nearest_one(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, ".faqlint.yaml", "fail-on: info\n")  # the one faqlint would find
    write(tmp_path, "ci/strict.yaml", "ignore: [OM202]\n")
    write(tmp_path, "org.yaml", ORG)
    code, out, _ = run(tmp_path, monkeypatch, capsys, "check", "--config", "ci/strict.yaml")
    assert code == 0
    assert "OM202" not in out
    code, out, _ = run(tmp_path, monkeypatch, capsys, "check")
    assert code == 1 and "OM202" in out


def test_config_from_pyproject_shapes_the_run(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, "pyproject.toml", "[tool.faqlint]\nignore = ['OM202']\n")
    write(tmp_path, "org.yaml", ORG)
    code, out, _ = run(tmp_path, monkeypatch, capsys, "check", "--no-source")
    assert code == 0
    assert "OM202" not in out


def test_per_file_ignores_waive_matching_files_only(tmp_path, monkeypatch, capsys) -> None:
    write(
        tmp_path,
        ".faqlint.yaml",
        "per-file-ignores:\n  'legacy/**':\n    rules: [OM2]\n    reason: retired tenant\n",
    )
    write(tmp_path, "legacy/org.yaml", ORG)
    write(tmp_path, "current/org.yaml", ORG.replace("name: org", "name: org2"))
    code, out, _ = run(tmp_path, monkeypatch, capsys, "check", "--format", "json")
    import json

    report = json.loads(out)
    assert code == 1
    assert {f["file"] for f in report["findings"]} == {"current/org.yaml"}
    assert report["summary"]["suppressed"] == 1


def test_fail_on_and_exit_zero(tmp_path, monkeypatch, capsys) -> None:
    inert = ORG.replace("EnforceAllowList", "EnforceBlockList")  # OM204 only: a warning
    write(tmp_path, "org.yaml", inert)
    assert run(tmp_path, monkeypatch, capsys, "check")[0] == 0
    assert run(tmp_path, monkeypatch, capsys, "check", "--fail-on", "warning")[0] == 1
    write(tmp_path, ".faqlint.yaml", "fail-on: warning\n")
    assert run(tmp_path, monkeypatch, capsys, "check")[0] == 1
    assert run(tmp_path, monkeypatch, capsys, "check", "--exit-zero")[0] == 0
    assert run(tmp_path, monkeypatch, capsys, "check", "--fail-on", "error")[0] == 0


def test_severity_override_and_select(tmp_path, monkeypatch, capsys) -> None:
    write(tmp_path, ".faqlint.yaml", "severity: {OM202: warning}\n")
    write(tmp_path, "org.yaml", ORG)
    code, out, _ = run(tmp_path, monkeypatch, capsys, "check", "--no-source")
    assert code == 0
    assert "OM202 [warning]" in out
    write(tmp_path, ".faqlint.yaml", "select: [OM1]\n")
    code, out, _ = run(tmp_path, monkeypatch, capsys, "check", "--no-source")
    assert (code, "OM202" in out) == (0, False)


def _config(raw: dict) -> Config:
    return TypeAdapter(Config).validate_python(raw)


@pytest.mark.parametrize(
    ("written", "size"),
    [
        ("67108864", 67108864),
        ('"64MiB"', 64 * 1024**2),
        ("64MiB", 64 * 1024**2),
        ('"500 KB"', 500_000),
        ('"1.5GB"', 1_500_000_000),
        ('"2kib"', 2048),
        ('"100B"', 100),
    ],
)
def test_max_file_size_takes_bytes_or_a_unit(tmp_path: Path, written: str, size: int) -> None:
    path = write(tmp_path, ".faqlint.yaml", f"max-file-size: {written}\n")
    assert parse_size(load_config(path, tmp_path).config.max_file_size) == size


def test_max_file_size_defaults_to_64_mib() -> None:
    assert parse_size(Config().max_file_size) == 64 * 1024 * 1024


@pytest.mark.parametrize("written", ['"64 parsecs"', '"MiB"', "0", "-5", '""'])
def test_a_bad_max_file_size_is_a_config_error_at_its_line(tmp_path: Path, written: str) -> None:
    path = write(tmp_path, ".faqlint.yaml", f"fail-on: error\nmax-file-size: {written}\n")
    with pytest.raises(ConfigError, match=r"\.faqlint\.yaml:2:1: max-file-size: .*size"):
        load_config(path, tmp_path)
