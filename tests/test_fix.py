"""`faqlint check --fix / --unsafe-fixes / --diff`: only the intended lines change, the result
checks clean of the fixed findings, twice changes nothing, the diff is what --fix writes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from faqlint.cli import main
from faqlint.fix import example_fix_problems
from faqlint.run import load_catalogue

FIXTURES = Path(__file__).parent / "fixtures" / "exports" / "contoso"

# Comments everywhere, a block list and a flow list, quoted and plain scalars, two documents.
EXCHANGE = """\
# Organization settings, kept by hand.
apiVersion: faqlint/v1
kind: ExchangeOrganizationConfig
metadata:
  name: org   # the one organization
spec:
  EwsApplicationAccessPolicy: EnforceAllowList
  EwsAllowList:
    # Outlook for iOS only, so far
    - 'Outlook-iOS/*'
  EwsEnabled: true
---
# A mailbox with its own policy.
apiVersion: faqlint/v1
kind: CASMailbox
metadata: {name: adele}
spec:
  Identity: adele@contoso.com
  EwsApplicationAccessPolicy: EnforceBlockList
  EwsBlockList: [ThirdParty/*, "Outlook*"]   # too wide
"""

NETWORK = """\
apiVersion: faqlint/v1\r
kind: NetworkConfiguration\r
metadata: {name: network}\r
spec:\r
  outboundTcpPorts: [80, 8443]  # firewall\r
  proxy:\r
    enabled: true\r
    tlsInspection: true\r
"""

VERSIONS_JSON = (
    "\ufeff{\n"
    '  "apiVersion": "faqlint/v1",\n'
    '  "kind": "OutlookMobileDeployment",\n'
    '  "metadata": {"name": "rollout"},\n'
    '  "spec": {\n'
    '    "platforms": ["iOS", "android"],\n'
    '    "minimumAppVersion": {"iOS": "3.9.0", "android": "2.9"}\n'
    "  }\n"
    "}\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exchange.yaml").write_text(EXCHANGE, newline="")
    (tmp_path / "network.yaml").write_bytes(NETWORK.encode())
    (tmp_path / "rollout.json").write_bytes(VERSIONS_JSON.encode())
    return tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _codes(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    capsys.readouterr()
    main(["check", "--format", "json", *args])
    import json

    return sorted(f["code"] for f in json.loads(capsys.readouterr().out)["findings"])


def test_fix_changes_only_the_intended_lines(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--fix", "--no-source"]) == 1  # unsafe findings remain
    out = capsys.readouterr().out
    assert "Fixed 4 findings in 3 files;" in out
    assert "with an unsafe fix: add --unsafe-fixes" in out
    exchange = (repo / "exchange.yaml").read_text()
    assert exchange == EXCHANGE.replace(
        "    - 'Outlook-iOS/*'\n", "    - 'Outlook-iOS/*'\n    - 'Outlook-Android/*'\n"
    )
    assert (repo / "network.yaml").read_bytes() == NETWORK.replace(
        "[80, 8443]", "[80, 8443, 443]"
    ).encode()
    assert (repo / "rollout.json").read_bytes() == VERSIONS_JSON.replace(
        '"3.9.0"', '"3.10.1"'
    ).replace('"2.9"', '"3.0.14"').encode()
    codes = _codes(capsys)
    assert not {"OM202", "OM301", "OM401"} & set(codes)
    assert {"OM203", "OM302"} <= set(codes)  # unsafe: left alone


def test_unsafe_fixes_and_twice_changes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--fix", "--unsafe-fixes"])
    first = _snapshot(repo)
    assert "EwsBlockList: [ThirdParty/*]   # too wide" in first["exchange.yaml"].decode()
    assert b"    tlsInspection: false\r\n" in first["network.yaml"]
    assert main(["check", "--fix", "--unsafe-fixes"]) == 0  # a warning is left
    assert "Fixed 0 findings in 0 files; 1 remain." in capsys.readouterr().out  # OM601: no fix
    assert _snapshot(repo) == first
    assert main(["check", "--diff", "--unsafe-fixes"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
@pytest.mark.parametrize("unsafe", [False, True])
def test_diff_applied_with_patch_is_what_fix_writes(
    repo: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capfdbinary: pytest.CaptureFixture[bytes],
    unsafe: bool,
) -> None:
    extra = ["--unsafe-fixes"] if unsafe else []
    before = _snapshot(repo)
    assert main(["check", "--diff", *extra]) == 1
    captured = capfdbinary.readouterr()
    diff = captured.out
    assert b"Would fix" in captured.err
    assert _snapshot(repo) == before  # --diff writes nothing
    copy = tmp_path_factory.mktemp("patched")
    for name, data in before.items():
        (copy / name).write_bytes(data)
    subprocess.run(["patch", "-s", "-p1"], input=diff, cwd=copy, check=True)
    main(["check", "--fix", *extra])
    assert _snapshot(copy) == _snapshot(repo)


def test_file_changed_since_read_is_not_overwritten(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import faqlint.fix as fix

    original = fix.plan_fixes

    def edit_meanwhile(*args: object, **kwargs: object) -> fix.FixOutcome:
        outcome = original(*args, **kwargs)  # type: ignore[arg-type]
        (repo / "network.yaml").write_text("# edited by someone else\n")
        return outcome

    monkeypatch.setattr(fix, "plan_fixes", edit_meanwhile)
    main(["check", "--fix"])
    assert "network.yaml: changed since it was read; not fixed" in capsys.readouterr().err
    assert (repo / "network.yaml").read_text() == "# edited by someone else\n"
    assert "Outlook-Android/*" in (repo / "exchange.yaml").read_text()  # the others are written


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_a_link_is_never_written_through(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "network.yaml"
    outside.write_bytes((repo / "network.yaml").read_bytes())
    (repo / "network.yaml").unlink()
    (repo / "network.yaml").symlink_to(outside)
    main(["check", "--fix", "network.yaml"])
    assert outside.read_bytes() == NETWORK.encode()
    assert (repo / "network.yaml").is_symlink()


def test_exports_are_not_edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURES, tmp_path / "contoso")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    main(["check", "--fix", "--unsafe-fixes"])
    assert _snapshot(tmp_path) == before


def test_a_fix_that_would_create_a_finding_is_not_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Appending to EwsAllowList is refused where the list is pinned to one item by a custom
    rule: the fix would remove OM202 but cause the custom finding."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pin.yaml").write_text(
        """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {name: pin}
rules:
  - code: XX001
    name: allow-list-pinned
    severity: error
    summary: The allow list holds exactly one entry.
    faq: none
    rationale: A house rule.
    fix: Keep one entry.
    given: {kinds: [ExchangeOrganizationConfig]}
    validations:
      - assert: size(spec.get('EwsAllowList', [])) <= 1
        message: too many entries
    examples:
      fail:
        - resources:
            - {apiVersion: faqlint/v1, kind: ExchangeOrganizationConfig, metadata: {name: o},
               spec: {EwsAllowList: [a, b]}}
      pass:
        - resources:
            - {apiVersion: faqlint/v1, kind: ExchangeOrganizationConfig, metadata: {name: o},
               spec: {EwsAllowList: [a]}}
"""
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exchange.yaml").write_text(EXCHANGE)
    main(["check", "--fix", "--policy-path", "pack", "exchange.yaml"])
    assert (tmp_path / "exchange.yaml").read_text() == EXCHANGE
    assert "Fixed 0 findings" in capsys.readouterr().out


def test_unsafe_fixes_needs_fix_or_diff(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--unsafe-fixes"]) == 2
    assert "--unsafe-fixes needs --fix or --diff" in capsys.readouterr().err


def test_every_builtin_autofix_makes_its_failing_examples_pass() -> None:
    catalogue = load_catalogue()
    fixable = [r for r in catalogue.policies.rules if any(v.autofix for v in r.validations)]
    assert {"OM202", "OM203", "OM301", "OM302", "OM303", "OM401"} <= {r.code for r in fixable}
    assert example_fix_problems(fixable, catalogue) == []


def test_test_policies_reports_an_autofix_that_does_not_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "own.yaml").write_text(
        """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {name: own}
rules:
  - code: XX002
    name: ports-include-8080
    severity: error
    summary: 8080 is open.
    faq: none
    rationale: A house rule.
    fix: Add 8080.
    autofix:
      applicability: safe
      description: Add the wrong port.
      edits:
        - {op: add, path: /spec/outboundTcpPorts/-, value: 8081}
    given: {kinds: [NetworkConfiguration]}
    validations:
      - assert: 8080 in spec.get('outboundTcpPorts', [])
        message: 8080 missing
    examples:
      fail:
        - resources:
            - {apiVersion: faqlint/v1, kind: NetworkConfiguration, metadata: {name: n},
               spec: {outboundTcpPorts: [443]}}
      pass:
        - resources:
            - {apiVersion: faqlint/v1, kind: NetworkConfiguration, metadata: {name: n},
               spec: {outboundTcpPorts: [443, 8080]}}
"""
    )
    assert main(["test-policies", str(tmp_path)]) == 1
    assert "XX002 fail example 1: after its autofix, 1 XX002 finding(s) remain" in (
        capsys.readouterr().out
    )
    text = (tmp_path / "own.yaml").read_text().replace("value: 8081", "value: 8080")
    (tmp_path / "own.yaml").write_text(text)
    assert main(["test-policies", str(tmp_path)]) == 0


def test_suppressed_findings_are_not_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    waived = NETWORK.replace("\r", "").replace(
        "  outboundTcpPorts: [80, 8443]  # firewall\n",
        '  # faqlint: ignore[OM301] reason="443 goes through another path"\n'
        "  outboundTcpPorts: [80, 8443]  # firewall\n",
    )
    (tmp_path / "network.yaml").write_text(waived)
    main(["check", "--fix"])
    assert (tmp_path / "network.yaml").read_text() == waived
    assert "Fixed 0 findings" in capsys.readouterr().out


def test_an_example_marked_not_fixed_is_not_held_to_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "own.yaml").write_text(
        """\
apiVersion: faqlint/v1
kind: PolicyPack
metadata: {name: own}
rules:
  - code: XX003
    name: ports-include-8080
    severity: error
    summary: 8080 is open.
    faq: none
    rationale: A house rule.
    fix: Add 8080.
    autofix:
      applicability: safe
      description: Add 8080.
      edits:
        - {op: add, path: /spec/outboundTcpPorts/-, value: 8080}
    given: {kinds: [NetworkConfiguration]}
    validations:
      - assert: 8080 in spec.get('outboundTcpPorts', []) && !(9 in spec.get('outboundTcpPorts', []))
        message: 8080 missing, or 9 open
    examples:
      fail:
        - description: 9 is open; the fix does not close it.
          fixed: false
          resources:
            - {apiVersion: faqlint/v1, kind: NetworkConfiguration, metadata: {name: n},
               spec: {outboundTcpPorts: [9]}}
        - resources:
            - {apiVersion: faqlint/v1, kind: NetworkConfiguration, metadata: {name: n},
               spec: {outboundTcpPorts: [443]}}
      pass:
        - resources:
            - {apiVersion: faqlint/v1, kind: NetworkConfiguration, metadata: {name: n},
               spec: {outboundTcpPorts: [443, 8080]}}
"""
    )
    assert main(["test-policies", str(tmp_path)]) == 0
    assert "0 failed" in capsys.readouterr().out


# Graph's shape (each definition entry a JSON string) beside the same content as a mapping, in
# block and flow style, with comments; and a JSON file, where the string is escaped.
TOKENS = """\
# Token lifetimes, reviewed by security.
apiVersion: faqlint/v1
kind: TokenLifetimePolicy
metadata: {name: short}
spec:
  displayName: Short   # too short
  definition:
    - '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"00:05:00"}}'  # 5 minutes
    - '{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"00:30:00"}}'
---
apiVersion: faqlint/v1
kind: TokenLifetimePolicy
metadata: {name: mapped}
spec:
  displayName: Mapped
  definition:
    - TokenLifetimePolicy:
        Version: 1
        AccessTokenLifetime: "24:00:00"   # meant as one day
    - TokenLifetimePolicy: {Version: 1, AccessTokenLifetime: '00:45:00'}
"""

TOKENS_JSON = (
    "{\n"
    '  "apiVersion": "faqlint/v1",\n'
    '  "kind": "TokenLifetimePolicy",\n'
    '  "metadata": {"name": "json"},\n'
    '  "spec": {\n'
    '    "displayName": "JSON",\n'
    '    "definition": [\n'
    '      "{\\"TokenLifetimePolicy\\":{\\"Version\\":1,'
    '\\"AccessTokenLifetime\\":\\"2.00:00:00\\"}}"\n'
    "    ]\n"
    "  }\n"
    "}\n"
)


def test_token_lifetimes_are_fixed_in_strings_and_mappings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tokens.yaml").write_text(TOKENS, newline="")
    (tmp_path / "tokens.json").write_text(TOKENS_JSON, newline="")
    assert {"OM110", "OM111"} <= set(_codes(capsys))
    main(["check", "--fix"])
    assert "5 remain (5 with an unsafe fix" in capsys.readouterr().out  # never safe to pick
    assert (tmp_path / "tokens.yaml").read_text() == TOKENS
    main(["check", "--fix", "--unsafe-fixes"])
    assert "Fixed 5 findings in 2 files" in capsys.readouterr().out
    assert (tmp_path / "tokens.yaml").read_text() == (
        TOKENS.replace('"00:05:00"}}\'  # 5', '"01:00:00"}}\'  # 5')  # below 10 minutes: default
        .replace('"00:30:00"', '"01:00:00"')
        .replace('"24:00:00"   #', '"1.00:00:00"   #')  # above one day: the maximum
        .replace("'00:45:00'", "'01:00:00'")
    )
    assert (tmp_path / "tokens.json").read_text() == TOKENS_JSON.replace("2.00:00:00", "1.00:00:00")
    assert not {"OM110", "OM111"} & set(_codes(capsys))
    before = _snapshot(tmp_path)
    main(["check", "--fix", "--unsafe-fixes"])
    assert _snapshot(tmp_path) == before


APPS = """\
apiVersion: faqlint/v1
kind: AppConfigurationPolicy
metadata: {name: outlook-ios}
spec:
  displayName: Outlook iOS settings
  apps:
    - mobileAppIdentifier: {bundleId: com.microsoft.Office.Outlook}
  customSettings:
    - name: com.microsoft.outlook.Contacts.LocalSyncEnabled
      value: "true"   # Save Contacts, asked for by sales
---
apiVersion: faqlint/v1
kind: AppProtectionPolicy
metadata: {name: ios-app}
spec:
  displayName: iOS app protection
  platform: iOS
  contactSyncBlocked: true
  apps:
    - mobileAppIdentifier: {bundleId: com.microsoft.Office.Outlook}
"""


def test_contact_sync_contradiction_is_fixed_on_the_configuration_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "apps.yaml").write_text(APPS, newline="")
    assert "OM604" in _codes(capsys)
    main(["check", "--fix"])
    assert (tmp_path / "apps.yaml").read_text() == APPS  # unsafe: which side wins is a choice
    main(["check", "--fix", "--unsafe-fixes"])
    assert (tmp_path / "apps.yaml").read_text() == APPS.replace(
        'value: "true"   #', 'value: "false"   #'
    )
    assert "OM604" not in _codes(capsys)


ACTIVESYNC = """\
apiVersion: faqlint/v1
kind: ActiveSyncDeviceAccessRule
metadata: {name: allow-outlook}
spec:
  Characteristic: DeviceModel
  QueryString: "Outlook*"   # meant for the app
  AccessLevel: Allow
---
apiVersion: faqlint/v1
kind: ActiveSyncDeviceAccessRule
metadata: {name: block-outlook}
spec: {Characteristic: DeviceType, QueryString: 'Outl*k', AccessLevel: Block}
---
apiVersion: faqlint/v1
kind: ActiveSyncDeviceAccessRule
metadata: {name: legacy}
spec: {Characteristic: DeviceOS, QueryString: "Android 4.*", AccessLevel: Quarantine}
"""


def test_activesync_wildcard_becomes_outlooks_exact_value_only_where_that_is_safe_to_prove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "activesync.yaml").write_text(ACTIVESYNC, newline="")
    assert _codes(capsys).count("OM212") == 3
    main(["check", "--fix", "--unsafe-fixes"])
    # The Allow rule gets the exact value; the Block rule would then block Outlook (OM210), so
    # its fix is refused; a wildcard for another device has no fix.
    assert (tmp_path / "activesync.yaml").read_text() == ACTIVESYNC.replace(
        '"Outlook*"   #', '"Outlook for iOS and Android"   #'
    )
    assert _codes(capsys).count("OM212") == 2
