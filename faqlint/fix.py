"""Fixes as data: plan a rule's `autofix` for a finding, prove it, apply it to native files.

A rule (or one of its validations) declares its fix as JSON Patch edits with `{{ CEL }}` holes
(see `faqlint.packs.Autofix`). For each finding of such a rule, the edits are rendered in the
finding's own context (`spec`, `item`, `index`, `tenant`, `data`), mapped from `/spec/...` into
the document, and made on the file's text by `faqlint.edit`, which changes nothing outside the
edited node.

A fix is applied only when it is proven on the edited text in memory: the file still parses and
yields the same resources, and the file's tenants, evaluated again with every selected rule, no
longer have the fixed finding and have no finding they did not have before (counted by rule,
file, document and resource, so that a message that changes wording is not taken for a new
finding). Fixes are tried one at a time and planned again after each, so that two fixes of one
list never collide, and a fix that does not prove itself is left for the admin. Applying the
result again therefore changes nothing: every fix that remains was already refused.

Only native resources are edited: an export (Graph, ScubaGear, PowerShell) is a snapshot of the
tenant, and its remedy is a command (`faqlint.report.powershell`), not an edit.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faqlint.cel import Context, Program
from faqlint.discover import SourceFile
from faqlint.edit import Edit, EditError, apply
from faqlint.engine import (
    EVERY_FIELD,
    _boolean,
    _finding,
    _resource_context,
    _run,
    _view,
    evaluate,
    render,
)
from faqlint.findings import Finding
from faqlint.identify import Resource
from faqlint.load import load_text
from faqlint.policy import CompiledAutofix, CompiledRule, Policies, Template
from faqlint.run import Catalogue, read_loaded, settle_exports
from faqlint.tenants import Tenant, group

MOST_FIXES = 10_000  # fixes one run applies at most: a bound on work, far above any real repo


@dataclass(frozen=True)
class Planned:
    """The fix of one finding: its edits inside the finding's document."""

    finding: Finding
    autofix: CompiledAutofix
    edits: tuple[Edit, ...]
    resource: Resource
    spec_edits: tuple[Edit, ...] = ()  # the same edits at `/spec/...`, as the rule wrote them

    @property
    def key(self) -> tuple[str, str, int, str, str]:
        return key_of(self.finding)


def key_of(finding: Finding) -> tuple[str, str, int, str, str]:
    return (finding.code, finding.file, finding.document, finding.pointer, finding.message)


def _count_key(finding: Finding) -> tuple[str, str, int, str, str]:
    return (
        finding.code,
        finding.file,
        finding.document,
        finding.kind or "",
        finding.resource or "",
    )


def _value(template: Any, context: Context) -> Any:
    """A compiled edit value: Templates filled, a lone `{{ expr }}` keeping its type."""
    if isinstance(template, Template):
        if len(template.parts) == 1 and isinstance(template.parts[0], Program):
            return _run(template.parts[0], context, "autofix value")
        return render(template, context, "autofix value")
    if isinstance(template, dict):
        return {k: _value(v, context) for k, v in template.items()}
    if isinstance(template, list):
        return [_value(v, context) for v in template]
    return template


def plan_resource(
    rule: CompiledRule, resource: Resource, tenant: str, variables: dict[str, Any]
) -> Iterator[Planned]:
    """The fixes of `rule`'s findings on `resource`, found as the engine finds the findings."""
    context = _resource_context(rule, variables, _view(resource, tenant, EVERY_FIELD))
    try:
        if rule.when is not None and not _boolean(rule.when, context, "when"):
            return
        subjects: list[Any] = [None]
        if rule.for_each is not None:
            subjects = _run(rule.for_each, context, "forEach")
            if not isinstance(subjects, list):
                return
        for index, item in enumerate(subjects):
            if rule.for_each is not None:
                context.set("item", item)
                context.set("index", index)
            for validation in rule.validations:
                if _boolean(validation.condition, context, "assert"):
                    continue
                if validation.autofix is not None:
                    message = render(validation.message, context, "message")
                    at = render(validation.at, context, "at")
                    finding = _finding(rule, validation, resource, tenant, message, at)
                    spec_edits = tuple(
                        Edit(e.op, render(e.path, context, "path"), _value(e.value, context))
                        for e in validation.autofix.edits
                    )
                    edits = tuple(
                        Edit(e.op, resource.pointer(e.pointer), e.value) for e in spec_edits
                    )
                    yield Planned(finding, validation.autofix, edits, resource, spec_edits)
                break
    except Exception:  # an expression that fails has its FL009 finding; no fix then
        return


def plan_tenant(
    tenant: Tenant,
    policies: Policies,
    rules: Iterable[CompiledRule],
    kinds: Iterable[str] = (),
) -> list[Planned]:
    """The fixes of `rules`' findings on `tenant`. `kinds` are the catalogue's kinds, which
    `tenant.<Kind>` has (empty where the tenant has none) as it has in `faqlint.engine`: a
    message that joins another kind renders, so its finding gets its fix."""
    fixable = [r for r in rules if any(v.autofix for v in r.validations)]
    if not fixable:
        return []
    views: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    for resource in tenant.resources:
        views.setdefault(resource.kind, []).append(_view(resource, tenant.name, EVERY_FIELD))
    variables = {"tenant": views, "data": policies.data}
    planned: list[Planned] = []
    for rule in fixable:
        for resource in tenant.resources:
            if resource.kind in rule.rule.given.kinds:
                planned += plan_resource(rule, resource, tenant.name, variables)
    return planned


# --- the files of a run ----------------------------------------------------------------------


@dataclass
class _File:
    display: str
    path: Path
    raw: bytes
    text: str
    is_json: bool
    resources: list[Resource]
    findings: list[Finding]  # the loader's and the schema's
    editable: str | None  # None when faqlint may edit it, else why not


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")  # a BOM stays in the text and so in the file
    except UnicodeDecodeError:
        return None


def _read(
    display: str, text: str, is_json: bool, catalogue: Catalogue
) -> tuple[list[Resource], list[Finding]]:
    """What `check` would read from `text` (an edited file, not yet written)."""
    loaded = load_text(text.removeprefix("\ufeff"), display, is_json)
    resources, findings, _ = read_loaded(loaded, catalogue)
    return resources, findings


@dataclass
class FixOutcome:
    """What `--fix` or `--diff` did: new texts by file, fixed findings, and files left alone."""

    changed: dict[str, tuple[Path, bytes, str]] = field(default_factory=dict)
    fixed: list[Finding] = field(default_factory=list)
    refused: list[tuple[Finding, str]] = field(default_factory=list)
    unsafe: int = 0  # findings left whose fix is unsafe (`--unsafe-fixes` applies it)

    def not_applied(self) -> list[str]:
        """One line for each fix that was not applied, and why (exports aside: their remedy is
        the remediation script)."""
        return [
            f"{f.file}: {f.code} at {f.pointer or '/'}: fix not applied: {why}"
            for f, why in self.refused
            if not why.startswith("an export")
        ]

    def summary(self, remaining: int, written: bool) -> str:
        verb = "Fixed" if written else "Would fix"
        files = len(self.changed)
        line = (
            f"{verb} {len(self.fixed)} finding{'' if len(self.fixed) == 1 else 's'}"
            f" in {files} file{'' if files == 1 else 's'}; {remaining} remain"
        )
        if self.unsafe:
            line += f" ({self.unsafe} with an unsafe fix: add --unsafe-fixes)"
        return line + "."

    def diff(self) -> str:
        """A unified diff of every change, for `patch -p1` from the working folder."""
        out: list[str] = []
        for display, (_, raw, text) in sorted(self.changed.items()):
            before = raw.decode("utf-8").splitlines(keepends=True)
            after = text.splitlines(keepends=True)
            for line in difflib.unified_diff(before, after, f"a/{display}", f"b/{display}"):
                if line.startswith(("---", "+++")):
                    out.append(line)  # difflib ends the header lines with "\n" itself
                elif line.endswith("\n"):
                    out.append(line)
                else:
                    out.append(line + "\n\\ No newline at end of file\n")
        return "".join(out)


class _Workspace:
    def __init__(
        self,
        files: dict[str, _File],
        catalogue: Catalogue,
        rules: tuple[CompiledRule, ...],
    ) -> None:
        self.files = files
        self.catalogue = catalogue
        self.rules = rules
        self.before: dict[str, Counter[Any]] = {}

    def resources(
        self, replaced: str | None = None, own: list[Resource] | None = None
    ) -> list[Resource]:
        resources: list[Resource] = []
        for display, file in self.files.items():
            resources += own if display == replaced and own is not None else file.resources
        kept, _ = settle_exports(resources, [], ())
        return kept

    def tenants(self, resources: list[Resource]) -> tuple[Tenant, ...]:
        return group(resources)[0]

    def findings_of(
        self, display: str, resources: list[Resource], own: list[Finding]
    ) -> Counter[Any]:
        """Counts of the findings of `display` and of every tenant it has a resource in."""
        counts: Counter[Any] = Counter(_count_key(f) for f in own)
        for tenant in self.tenants(resources):
            if any(r.file == display for r in tenant.resources):
                found = evaluate(tenant, self.catalogue.policies, self.catalogue.kinds, self.rules)
                counts.update(_count_key(f) for f in found)
        return counts

    def attempt(self, planned: Planned) -> str | None:
        """Apply `planned` to its file in memory if it proves itself; the reason if not."""
        file = self.files[planned.finding.file]
        text = file.text
        try:
            for edit in planned.edits:
                text = apply(text, planned.finding.document, edit, file.is_json)
        except EditError as err:
            return str(err)
        if text == file.text:
            return "the edit changes nothing"
        resources, findings = _read(file.display, text, file.is_json, self.catalogue)
        if len(resources) != len(file.resources):
            return "the edited file would not hold the same resources"
        if file.display not in self.before:  # the counts of the state as it is, kept until a
            # fix changes it: refused candidates then cost one evaluation each, not two
            self.before[file.display] = self.findings_of(
                file.display, self.resources(), file.findings
            )
        before = self.before[file.display]
        after = self.findings_of(file.display, self.resources(file.display, resources), findings)
        target = _count_key(planned.finding)
        if after[target] >= before[target]:
            return "the edit would not remove the finding"
        new = [k for k in after if after[k] > before[k]]
        if new:
            return f"the edit would cause {new[0][0]}"
        file.text, file.resources, file.findings = text, resources, findings
        self.before.clear()  # other files share tenants with this one
        return None


def _editable(path: Path, display: str) -> str | None:
    if path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        return "not a YAML or JSON file"
    try:
        info = os.lstat(path)
    except OSError as err:
        return f"cannot be read: {err.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a link is never written through)"
    return None


def plan_fixes(
    catalogue: Catalogue,
    rules: tuple[CompiledRule, ...],
    sources: Iterable[SourceFile],
    kinds: dict[str, str],
    root: Path,
    reported: Iterable[Finding],
    unsafe: bool,
) -> FixOutcome:
    """Prove and apply in memory the fixes of the `reported` findings (safe ones, and unsafe
    ones when `unsafe`), over the files of the run (`sources`, read with the config's `kinds`
    from `root`)."""
    from faqlint.run import read_file

    reported = list(reported)
    files: dict[str, _File] = {}
    for source in sources:
        display, path = source.display, source.path
        loaded, resources, findings, _ = read_file(source, catalogue, kinds, root)
        raw = b""
        text: str | None = ""
        why = _editable(path, display)
        if why is None:
            raw = path.read_bytes()
            text = _decode(raw)
            why = None if text is not None else "not UTF-8"
        files[display] = _File(
            display, path, raw, text or "", loaded.is_json, resources, findings, why
        )
    workspace = _Workspace(files, catalogue, rules)
    wanted = {key_of(f) for f in reported}
    reported_files = {f.file for f in reported}
    original = {
        key_of(f)
        for t in workspace.tenants(workspace.resources())
        for f in evaluate(t, catalogue.policies, catalogue.kinds, rules)
    }
    outcome = FixOutcome()
    refused: dict[tuple[Any, ...], tuple[Finding, str]] = {}
    for _ in range(MOST_FIXES):
        applied = False
        for tenant in workspace.tenants(workspace.resources()):
            for planned in plan_tenant(tenant, catalogue.policies, rules, catalogue.kinds):
                finding = planned.finding
                if finding.file not in reported_files:
                    continue
                if planned.key not in wanted and planned.key in original:
                    continue  # suppressed, baselined or not selected: left alone
                identity = (planned.key, planned.edits)
                if identity in refused:
                    continue
                why = _why_not(planned, files[finding.file], unsafe)
                if why is None:
                    why = workspace.attempt(planned)
                if why is not None:
                    refused[identity] = (finding, why)
                    continue
                outcome.fixed.append(finding)
                applied = True
                break
            if applied:
                break
        if not applied:
            break
    outcome.refused = [v for v in refused.values() if v[1] != "unsafe"]
    outcome.unsafe = len({v[0] for v in refused.values() if v[1] == "unsafe"})
    for display, file in files.items():
        if file.raw and file.text != file.raw.decode("utf-8"):
            outcome.changed[display] = (file.path, file.raw, file.text)
    return outcome


def _why_not(planned: Planned, file: _File, unsafe: bool) -> str | None:
    if not planned.resource.native:
        return "an export is not edited (see --format powershell)"
    if file.editable is not None:
        return file.editable
    if not planned.autofix.safe and not unsafe:
        return "unsafe"
    return None


def write_fixes(outcome: FixOutcome, cwd: Path) -> list[str]:
    """Write every changed file atomically, never through a link; a file changed on disk since
    it was read is left as it is. Returns one line for each file not written."""
    from faqlint.fsio import Planned as Write
    from faqlint.fsio import anchor_of, write_all

    skipped: list[str] = []
    writes: list[Write] = []
    for display, (path, raw, text) in sorted(outcome.changed.items()):
        try:
            now = path.read_bytes() if _editable(path, display) is None else None
        except OSError:
            now = None
        if now != raw:
            skipped.append(f"{display}: changed since it was read; not fixed")
            continue
        absolute = Path(os.path.abspath(cwd / path))
        writes.append(Write(anchor_of(absolute.parent, cwd), absolute, text))
    write_all(writes)
    return skipped


# --- examples: an autofix must make its failing example pass ---------------------------------


def check_example_fix(
    rule: CompiledRule, catalogue: Catalogue, resources: Iterable[dict[str, Any]]
) -> str | None:
    """Apply `rule`'s fixes to a failing example's documents (as YAML text, one document each)
    and report what is wrong when the example does not then pass; None when it does."""
    import json

    text = "".join(f"---\n{json.dumps(r)}\n" for r in resources)
    display = f"examples-of-{rule.code}.yaml"
    own, findings = _read(display, text, False, catalogue)
    file = _File(display, Path(display), text.encode(), text, False, own, findings, None)
    workspace = _Workspace({display: file}, catalogue, (rule,))
    for _ in range(100):
        progress = False
        for tenant in workspace.tenants(workspace.resources()):
            for planned in plan_tenant(tenant, catalogue.policies, (rule,), catalogue.kinds):
                if workspace.attempt(planned) is None:
                    progress = True
                    break
            if progress:
                break
        if not progress:
            break
    left = [
        f
        for t in workspace.tenants(workspace.resources())
        for f in evaluate(t, catalogue.policies, catalogue.kinds, (rule,))
        if f.code == rule.code
    ]
    if left:
        return f"after its autofix, {len(left)} {rule.code} finding(s) remain: {left[0].message}"
    return None


def example_fix_problems(
    rules: Iterable[CompiledRule], catalogue: Catalogue
) -> list[tuple[CompiledRule, int, str]]:
    """(rule, failing example number, problem) for each failing example of a rule with an
    autofix that the fix does not make pass (examples marked `fixed: false` are skipped)."""
    problems: list[tuple[CompiledRule, int, str]] = []
    for rule in rules:
        if not any(v.autofix for v in rule.validations):
            continue
        for number, example in enumerate(rule.rule.examples.fail, start=1):
            if example.fixed is False:
                continue
            problem = check_example_fix(rule, catalogue, example.resources)
            if problem is not None:
                problems.append((rule, number, problem))
    return problems
