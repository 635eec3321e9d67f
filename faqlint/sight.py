"""What a rule can read: the kinds of the resources its expressions reach.

A rule's expressions see the resource it judges and, through the `tenant` variable, the tenant's
resources: `tenant.CASMailbox` reads one kind, any other use of `tenant` may read any. Two
stages depend on it: the result cache keys a rule's findings by the resources of the kinds it
can read (an edit to a mailbox does not evaluate the proxy rules again), and
`faqlint.consequences` varies a broken value only for the rules that can see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from faqlint.policy import CompiledRule

# the `tenant` variable (not `resource.tenant`), and the kind it is indexed by when it is
_TENANT = re.compile(r"(?<![.\w])tenant\b(?:\.(?P<kind>[A-Za-z_]\w*))?")


@dataclass(frozen=True)
class Sight:
    """The kinds of the resources a rule sees (None: any), and whether it reads resources other
    than the one it judges (through `tenant`)."""

    kinds: frozenset[str] | None
    across: bool


def sight_of(rule: CompiledRule) -> Sight:
    references = [m.group("kind") for text in rule.texts() for m in _TENANT.finditer(text)]
    own = frozenset(rule.rule.given.kinds)
    if not references:
        return Sight(own, across=False)
    if None in references:  # `tenant` used otherwise than `tenant.Kind`: it may read any kind
        return Sight(None, across=True)
    return Sight(own | {k for k in references if k is not None}, across=True)
