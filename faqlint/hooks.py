"""The pre-commit hooks this repository offers, as data; `.pre-commit-hooks.yaml` is generated
from `HOOKS` (`python -m faqlint.hooks > .pre-commit-hooks.yaml`) and a test fails on drift.

The entry ends its options with `--`: pre-commit appends the staged file names to it, and a
committed file named `--output=x.yaml` or `-x.yaml` must be linted as a file, never read as an
option (one that would write a file, say). Options therefore go in the config file
(`.faqlint.yaml`), or in a user's own `entry:` before the `--` (`entry: faqlint check
--fail-on warning --`): pre-commit puts `args:` after the entry, where they too are file names.

`require_serial` because every invocation reads the whole project for tenant-wide rules (see
`faqlint.run.sources_of`): pre-commit's parallel batches would each read it again and gain
nothing. `types_or: [yaml, json]` because those are the only files faqlint reads.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass

# types_or arrived in pre-commit 2.9.0.
MINIMUM_PRE_COMMIT = "2.9.0"


@dataclass(frozen=True)
class Hook:
    id: str
    name: str
    description: str
    entry: str
    language: str
    types_or: tuple[str, ...]
    require_serial: bool
    args: tuple[str, ...] = ()

    def fields(self) -> list[tuple[str, object]]:
        """The hook's keys in the order pre-commit's documentation lists them."""
        fields: list[tuple[str, object]] = [
            ("id", self.id),
            ("name", self.name),
            ("description", self.description),
            ("entry", self.entry),
            ("language", self.language),
            ("types_or", list(self.types_or)),
            ("require_serial", self.require_serial),
        ]
        if self.args:
            fields.append(("args", list(self.args)))
        fields.append(("minimum_pre_commit_version", MINIMUM_PRE_COMMIT))
        return fields


HOOKS: tuple[Hook, ...] = (
    Hook(
        id="faqlint",
        name="faqlint",
        description="Lint Microsoft 365 / Exchange Online configuration against the Outlook for "
        "iOS and Android FAQ.",
        entry="faqlint check --",
        language="python",
        types_or=("yaml", "json"),
        require_serial=True,
    ),
)

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]*")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    looks_plain = _PLAIN.fullmatch(text) and text.lower() not in {
        "true",
        "false",
        "null",
        "yes",
        "no",
        "on",
        "off",
    }
    if looks_plain and not re.fullmatch(r"[0-9.]+", text):
        return text
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def render(hooks: tuple[Hook, ...] = HOOKS) -> str:
    lines = ["# Generated from faqlint/hooks.py by `python -m faqlint.hooks`; do not edit."]
    for hook in hooks:
        for i, (key, value) in enumerate(hook.fields()):
            lines.append(f"{'- ' if i == 0 else '  '}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
