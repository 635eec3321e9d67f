"""`--format powershell`: commands match the cmdlets' documented parameters, no value breaks out."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.edit import Edit
from faqlint.fix import plan_tenant
from faqlint.identify import identify
from faqlint.loaded import Document, LoadedFile
from faqlint.report.powershell import Refused, cmdlets, command, literal
from faqlint.run import load_catalogue
from faqlint.tenants import group

CONTOSO = Path(__file__).parents[1] / "fixtures" / "exports" / "contoso"

_LITERAL = r"'(?:[^']|'')*'"
_VALUE = (
    rf"@\{{(?:Add|Remove)={_LITERAL}\}}|@\({_LITERAL}(?:, {_LITERAL})*\)"
    rf"|\$true|\$false|{_LITERAL}|\d+"
)
_ARGUMENT = re.compile(rf"-(?P<name>[A-Za-z0-9]+) (?P<value>{_VALUE})")


def check_against_documentation(line: str) -> None:
    """The cmdlet exists in the table; every parameter is one of its documented ones, and the
    value has the parameter's documented type."""
    cmdlet, _, rest = line.partition(" ")
    documented = cmdlets()["cmdlets"][cmdlet]
    enums = cmdlets()["enums"]
    consumed = 0
    for match in _ARGUMENT.finditer(rest):
        assert rest[consumed : match.start()].strip() == "", f"stray text in {line!r}"
        consumed = match.end()
        name, value = match["name"], match["value"]
        assert name in documented, f"{cmdlet} has no -{name}"
        kind = documented[name]
        if kind == "Boolean":
            assert value in {"$true", "$false"}
        elif kind == "MultiValuedProperty":
            assert value.startswith(("@{Add='", "@{Remove='"))
        elif kind == "String[]":
            assert value.startswith("@('")
        elif kind in enums:
            assert value.strip("'") in enums[kind]
        else:
            assert kind in cmdlets()["identityTypes"] and value.startswith("'")
    assert rest[consumed:].strip() == "", f"stray text in {line!r}"


def test_every_builtin_autofix_gives_a_documented_command() -> None:
    """Each rule's fix, planned on its failing examples, for every kind a cmdlet sets."""
    catalogue = load_catalogue()
    produced = 0
    for rule in catalogue.policies.rules:
        if not any(v.autofix for v in rule.validations):
            continue
        for example in rule.rule.examples.fail:
            documents = tuple(Document(i, d) for i, d in enumerate(example.resources, 1))
            loaded = LoadedFile("example.yaml", documents, (), False)
            resources = identify(loaded, catalogue.kinds).resources
            for tenant in group(resources)[0]:
                for planned in plan_tenant(tenant, catalogue.policies, [rule], catalogue.kinds):
                    kind = planned.resource.kind
                    if kind not in cmdlets()["kinds"]:
                        continue
                    if "byODataType" in cmdlets()["kinds"][kind] and (
                        "@odata.type" not in planned.resource.spec
                    ):
                        continue  # a native resource that does not say its Graph type
                    try:
                        line = command(
                            kind, planned.resource.spec, planned.resource.name, planned.spec_edits
                        )
                    except Refused as why:
                        # Only an array set whole, of several entries; and a device access
                        # rule's QueryString, which Exchange sets only when the rule is created
                        # (New-ActiveSyncDeviceAccessRule), so the block gives the fix in words.
                        assert "entries, set whole" in str(why) or str(why) == (
                            "Set-ActiveSyncDeviceAccessRule has no parameter QueryString"
                        ), why
                        continue
                    check_against_documentation(line)
                    produced += 1
    assert produced >= 10


def test_graph_app_protection_by_its_odata_type() -> None:
    spec = {"@odata.type": "#microsoft.graph.androidManagedAppProtection", "id": "T_1"}
    edit = Edit("replace", "/spec/minimumRequiredAppVersion", "3.0.14")
    line = command("AppProtectionPolicy", spec, "policy", (edit,))
    assert line == (
        "Update-MgDeviceAppManagementAndroidManagedAppProtection"
        " -AndroidManagedAppProtectionId 'T_1' -MinimumRequiredAppVersion '3.0.14'"
    )
    check_against_documentation(line)
    with pytest.raises(Refused):
        command("AppProtectionPolicy", {"id": "T_1"}, "policy", (edit,))


def test_the_checker_catches_an_undocumented_parameter() -> None:
    with pytest.raises(AssertionError):
        check_against_documentation("Set-CASMailbox -Identity 'a' -EwsEnable $true")
    with pytest.raises(AssertionError):
        check_against_documentation("Set-OrganizationConfig -EwsEnabled 'yes'")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Outlook-iOS/*", "'Outlook-iOS/*'"),
        ("it's", "'it''s'"),
        ("$(Remove-Item C:\\ -Recurse)", "'$(Remove-Item C:\\ -Recurse)'"),
        ("`whoami`; $env:X", "'`whoami`; $env:X'"),
        (True, "$true"),
        (443, "443"),
    ],
)
def test_literals_expand_nothing(value: object, expected: str) -> None:
    assert literal(value) == expected


@pytest.mark.parametrize(
    "value", ["a\nRemove-Item x", "a\rb", "tab\there", "a\u2019; Remove-Item x; \u2019", "\u2028"]
)
def test_values_that_could_break_out_are_refused(value: str) -> None:
    with pytest.raises(Refused):
        literal(value)


def test_multi_valued_properties_change_one_entry() -> None:
    spec = {"Identity": "adele@contoso.com", "EwsBlockList": ["Other/*", "Outlook*"]}
    assert command("CASMailbox", spec, "adele", (Edit("remove", "/spec/EwsBlockList/1"),)) == (
        "Set-CASMailbox -Identity 'adele@contoso.com' -EwsBlockList @{Remove='Outlook*'}"
    )
    with pytest.raises(Refused):
        command("CASMailbox", spec, "adele", (Edit("replace", "/spec/Nonexistent", True),))
    with pytest.raises(Refused):
        command(
            "ActiveSyncDeviceAccessRule", {}, "r", (Edit("replace", "/spec/AccessLevel", "Open"),)
        )


def test_script_for_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CONTOSO, tmp_path / "contoso")
    monkeypatch.chdir(tmp_path / "contoso")
    assert main(["check", "--format", "powershell"]) == 1
    script = capsys.readouterr().out
    lines = script.splitlines()
    code = [line for line in lines if line and not line.startswith("#")]
    assert code[0] == "throw 'Review this faqlint remediation script before running it.'"
    assert "Set-OrganizationConfig -EwsAllowList @{Add='Outlook-Android/*'}" in code
    assert "Set-CASMailbox -Identity 'AdeleV' -EwsEnabled $true" in code
    for line in code[1:]:
        check_against_documentation(line)
    assert script.count("# --- ") == len([line for line in lines if line.startswith("# --- ")])
    assert "# --- OM110 access-token-lifetime-out-of-range" in script  # a block, no command


def test_a_hostile_identity_gets_no_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CONTOSO, tmp_path / "contoso")
    export = tmp_path / "contoso" / "exchange" / "Get-CASMailbox.json"
    hostile = "AdeleV\u2019; Remove-Item -Recurse C:\\\\; \u2019"
    export.write_text(
        export.read_text().replace('"Identity": "AdeleV"', f'"Identity": "{hostile}"')
    )
    assert "Remove-Item" in export.read_text()
    monkeypatch.chdir(tmp_path / "contoso")
    main(["check", "--format", "powershell"])
    script = capsys.readouterr().out
    commands = [line for line in script.splitlines() if not line.startswith("#")]
    assert not any("Remove-Item" in line for line in commands)
    assert "# No command: the value holds a control character" in script


def test_a_token_lifetime_sets_the_whole_definition() -> None:
    spec = {
        "id": "4d2f-policy",
        "definition": ['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"00:05:00"}}'],
    }
    fixed = '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"01:00:00"}}'
    line = command(
        "TokenLifetimePolicy", spec, "short", (Edit("replace", "/spec/definition/0", fixed),)
    )
    assert line == (
        "Update-MgPolicyTokenLifetimePolicy -TokenLifetimePolicyId '4d2f-policy'"
        f" -Definition @('{fixed}')"
    )
    check_against_documentation(line)
    mapped = {"definition": [{"TokenLifetimePolicy": {"Version": 1, "AccessTokenLifetime": "2"}}]}
    edit = Edit(
        "replace", "/spec/definition/0/TokenLifetimePolicy/AccessTokenLifetime", "1.00:00:00"
    )
    assert command("TokenLifetimePolicy", mapped, "long", (edit,)).endswith(
        """-Definition @('{"TokenLifetimePolicy":{"Version":1,"""
        """"AccessTokenLifetime":"1.00:00:00"}}')"""
    )
    two = {"definition": [spec["definition"][0], fixed]}
    with pytest.raises(Refused, match="2 entries"):
        command("TokenLifetimePolicy", two, "two", (Edit("replace", "/spec/definition/0", fixed),))
