"""`faqlint convert`: the native files it writes lint exactly as the exports they came from."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from faqlint.cli import main
from faqlint.convert import slug
from faqlint.load import load

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"


def faqlint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def findings(capsys: pytest.CaptureFixture[str], *paths: str) -> list[dict[str, Any]]:
    code, out, err = faqlint(capsys, "check", "--format", "json", *paths)
    assert code in (0, 1), err
    found: list[dict[str, Any]] = json.loads(out)["findings"]
    return found


def what(found: list[dict[str, Any]]) -> Counter[tuple[str, str, str, str]]:
    return Counter((f["code"], f["kind"], f["resource"], f["message"]) for f in found)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture exports, entered as the working folder."""
    shutil.copytree(EXPORTS, tmp_path / "exports")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("folder", ["contoso", "scubagear"])
def test_converted_repo_lints_exactly_as_the_exports(
    folder: str,
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = workspace / "exports" / folder
    monkeypatch.chdir(source)  # where its .faqlint.yaml maps the PowerShell files
    before = findings(capsys, ".")
    code, _, err = faqlint(capsys, "convert", ".", "--out", str(workspace / "repo"))
    assert code == 0, err
    monkeypatch.chdir(workspace / "repo")
    after = findings(capsys, ".")

    assert before, "the fixtures are meant to have findings"
    # conversion writes each value in the spelling its service documents (FL013 asks for it);
    # FL012 says what an export lacks, and the converted files are native and say it no more
    assert what(after) == what([f for f in before if f["code"] not in {"FL012", "FL013"}])
    assert not [f for f in after if f["code"] == "FL013"]
    # each finding sits in its own file: the export before, the converted resource after
    for finding in after:
        path = workspace / "repo" / finding["file"]
        assert path.parent.name == finding["kind"].lower()
        text = path.read_text(encoding="utf-8")
        assert f"name: {finding['resource']}" in text or f"name: '{finding['resource']}'" in text
        assert finding["line"] > text.splitlines().index("spec:")  # inside the spec
    for finding in before:
        assert (source / finding["file"]).suffix == ".json"


def test_converted_files_name_the_repository_schemas_by_relative_path(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert faqlint(capsys, "schema", "--write", ".faqlint/schemas")[0] == 0
    assert faqlint(capsys, "convert", "exports/scubagear", "--out", "repo")[0] == 0
    converted = sorted((workspace / "repo").rglob("*.yaml"))
    assert converted
    for file in converted:
        first = file.read_text(encoding="utf-8").splitlines()[0]
        kind = file.parent.name
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix) and first.lower().endswith(f"/{kind}.schema.json")
        assert (file.parent / first.removeprefix(prefix)).resolve().is_file()


def test_converted_files_are_native_commented_and_hold_only_modelled_settings(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace / "exports" / "contoso")
    code, out, _ = faqlint(capsys, "convert", ".", "--out", "../../repo")
    assert code == 0
    assert out.splitlines()[-1] == "Converted 19 resources from 10 export files into ../../repo."
    org = (
        workspace
        / "repo"
        / "default"
        / "exchangeorganizationconfig"
        / ("contoso-onmicrosoft-com.yaml")
    )
    text = org.read_text(encoding="utf-8")
    lines = text.splitlines()
    # no schemas in this repository (`faqlint schema --write`): no modeline an editor cannot load
    assert "yaml-language-server" not in text
    assert "from exchange/Get-OrganizationConfig.json" in lines[0]
    assert "235 other properties were left out" in text
    data = load(org, "org.yaml").documents[0].data
    assert data["apiVersion"] == "faqlint/v1" and data["kind"] == "ExchangeOrganizationConfig"
    assert data["metadata"] == {"name": "contoso.onmicrosoft.com"}
    assert data["spec"]["EwsAllowList"] == ["Outlook-iOS/*", "MacOutlook/*"]
    assert "WhenChanged" not in data["spec"] and len(data["spec"]) == 10
    ios = workspace / "repo" / "default" / "appprotectionpolicy" / "outlook-mobile-ios.yaml"
    assert "platform: iOS  # not in the export: taken from @odata.type" in ios.read_text()
    token = workspace / "repo" / "default" / "tokenlifetimepolicy" / "kiosk-short-tokens.yaml"
    assert "at /value/1" in token.read_text()


def test_strings_another_yaml_reader_would_misread_are_quoted(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = workspace / "rule.json"
    export.write_text(
        json.dumps(
            {
                "@odata.type": "#microsoft.graph.tokenLifetimePolicy",
                "displayName": "on",
                "description": "8:00:00",
                "definition": ["yes"],
            }
        )
    )
    code, out, _ = faqlint(capsys, "convert", "rule.json", "--out", "repo", "--dry-run")
    assert code == 0
    assert 'displayName: "on"' in out and 'description: "8:00:00"' in out and '- "yes"' in out
    assert "'@odata.type': '#microsoft.graph.tokenLifetimePolicy'" in out


def test_dry_run_prints_a_yaml_stream_and_writes_nothing(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = faqlint(capsys, "convert", "exports/scubagear", "--out", "repo", "--dry-run")
    assert code == 0
    assert not (workspace / "repo").exists()
    headers = [line for line in out.splitlines() if line.startswith("--- # ")]
    assert len(headers) == 6
    assert headers[0] == (
        "--- # repo/default/exchangeorganizationconfig/fabrikam-onmicrosoft-com.yaml"
    )


def test_existing_files_are_not_overwritten_without_force(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert faqlint(capsys, "convert", "exports/scubagear", "--out", "repo")[0] == 0
    target = workspace / "repo" / "default" / "subscribedsku" / "spe-e5.yaml"
    target.write_text("# edited by hand\n")
    code, out, err = faqlint(capsys, "convert", "exports/scubagear", "--out", "repo")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "exists; pass --force to overwrite it" in err
    assert target.read_text() == "# edited by hand\n"
    assert faqlint(capsys, "convert", "exports/scubagear", "--out", "repo", "--force")[0] == 0
    assert target.read_text().startswith("# Converted by `faqlint convert`")


def test_tenant_comes_from_the_option_or_the_exports_tenant_resource(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scuba = workspace / "exports" / "scubagear"
    (scuba / "tenant.yaml").write_text(
        "apiVersion: faqlint/v1\nkind: Tenant\nmetadata: {name: fabrikam}\nspec: {cloud: GCC}\n"
    )
    assert faqlint(capsys, "convert", "exports/scubagear", "--out", "repo")[0] == 0
    sku = workspace / "repo" / "fabrikam" / "subscribedsku" / "spe-e5.yaml"
    assert "tenant: fabrikam" in sku.read_text()
    assert (
        faqlint(capsys, "convert", "exports/scubagear", "--out", "repo", "--tenant", "Contoso Ltd")[
            0
        ]
        == 0
    )
    assert (workspace / "repo" / "contoso-ltd" / "subscribedsku" / "spe-e5.yaml").is_file()
    monkeypatch.chdir(workspace / "repo")
    tenants = {f["tenant"] for f in findings(capsys, "fabrikam")}
    assert tenants == {"fabrikam"}


def test_nothing_to_convert_says_why_of_each_file_and_exits_2(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "notes").mkdir()
    (workspace / "notes" / "ci.yaml").write_text("on: push\n")
    code, out, err = faqlint(capsys, "convert", "notes", "--out", "repo")
    assert (code, out) == (2, "")
    head, *reasons = err.splitlines()
    assert head.startswith("faqlint: nothing to convert in notes")
    assert reasons == [
        "  notes/ci.yaml: not recognised: no Graph `@odata` keys, no ScubaGear shape, and no "
        "`kinds:` entry maps it (add one for PowerShell output, or leave the file out)"
    ]


def test_a_mistyped_kind_in_the_config_stops_convert_too(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / ".faqlint.yaml").write_text('kinds:\n  "*Get-CASMailbox*.json": CasMailbox\n')
    code, out, err = faqlint(capsys, "convert", "exports", "--out", "repo")
    assert (code, out) == (2, "")
    assert "unknown kind 'CasMailbox'; did you mean 'CASMailbox'?" in err
    assert err.count("\n") == 1


def test_file_names_are_slugs_and_repeated_names_do_not_collide(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert slug("Require MFA: Exchange Online (mobile)") == "require-mfa-exchange-online-mobile"
    assert slug("***") == "resource"
    export = workspace / "ca.json"
    export.write_text(
        json.dumps(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies",
                "value": [
                    {"displayName": "Same"},
                    {"displayName": "Same"},
                    {"displayName": "MFA: mobile"},
                    {"displayName": "MFA mobile"},
                ],
            }
        )
    )
    assert faqlint(capsys, "convert", "ca.json", "--out", "repo")[0] == 0
    written = sorted(
        p.name for p in (workspace / "repo" / "default" / "conditionalaccesspolicy").iterdir()
    )
    assert written == [
        "mfa-mobile-2.yaml",
        "mfa-mobile.yaml",
        "same-value-0.yaml",
        "same-value-1.yaml",
    ]


def test_a_new_user_lints_exports_converts_them_and_lints_the_repo(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exports saved from Graph and PowerShell, then checked, converted and checked again."""
    mine = workspace / "tenant-exports"
    mine.mkdir()
    graph = EXPORTS / "contoso" / "graph"
    shutil.copy(graph / "tokenLifetimePolicies.json", mine / "token-policies.json")
    shutil.copy(EXPORTS / "contoso" / "exchange" / "Get-CASMailbox.json", mine / "cas.json")
    monkeypatch.chdir(mine)

    # 1. The Graph export is read as is; the PowerShell one is not, and the summary says so.
    code, out, _ = faqlint(capsys, "check", "--no-source", ".")
    assert code == 1
    assert "token-policies.json" in out and "OM110" in out
    assert "1 file without faqlint resources" in out

    # 2. Mapping the PowerShell file to its kind makes its findings appear on its lines.
    (mine / ".faqlint.yaml").write_text("kinds:\n  cas.json: CASMailbox\n")
    code, out, _ = faqlint(capsys, "check", "--no-source", ".")
    assert code == 1 and "cas.json:" in out and "OM201" in out
    exported = findings(capsys, ".")

    # 3. Convert, and lint the new repository: the same findings, now in the YAML files.
    code, out, _ = faqlint(capsys, "convert", ".", "--out", str(workspace / "config"))
    assert code == 0 and "Converted 6 resources from 2 export files" in out
    monkeypatch.chdir(workspace / "config")
    converted = findings(capsys, ".")
    assert what(converted) == what(exported)
    assert {Path(f["file"]).suffix for f in converted} == {".yaml"}


def test_convert_accounts_for_every_input_and_fails_when_one_was_not_read(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace / "exports" / "shapes")
    code, out, err = faqlint(capsys, "convert", ".", "--out", str(workspace / "repo"))
    assert code == 1
    assert "Converted 8 resources from 5 export files" in out
    lines = err.splitlines()
    assert lines[-1] == "2 input files not converted."
    said = {line.split(": ", 2)[0]: line.split(": ", 2)[1] for line in lines[:-1]}
    assert said == {
        "graph/licenseDetails.json": "not converted",
        "powershell/Get-ActiveSyncOrganizationSettings.json": "not converted",
        "graph/tokenLifetimePolicies.json": "skipped",
        "powershell/Get-IRMConfiguration.json": "skipped",
        "graph/mobileAppConfigurations.json": (
            "3 objects of this list read; 1 other item passed over, being of types faqlint "
            "does not read"
        ),
    }
    assert "FL010 Graph entity set users/licenseDetails" in err


def test_convert_takes_the_newest_scubagear_run_and_says_so(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace / "exports" / "scubagear-runs")
    code, out, err = faqlint(capsys, "convert", ".", "--out", str(workspace / "repo"))
    assert code == 0, err
    assert "M365BaselineConformance_2024_05_01" not in out
    assert err.startswith(
        "M365BaselineConformance_2024_05_01_10_00_00/ProviderSettingsExport.json: skipped: an "
        "older run"
    )
    tenant = workspace / "repo" / "fabrikam" / "tenant" / "fabrikam.yaml"
    assert "cloud: GCC" in tenant.read_text()
