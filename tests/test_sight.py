"""What a rule can read, from its expressions."""

from __future__ import annotations

from faqlint.run import Catalogue
from faqlint.sight import Sight, sight_of


def test_what_a_rule_can_read_is_taken_from_its_expressions(catalogue: Catalogue) -> None:
    rules = catalogue.policies.by_code()
    one = sight_of(rules["OM204"])  # reads only the resource it judges
    assert one == Sight(frozenset({"ExchangeOrganizationConfig", "CASMailbox"}), across=False)
    across = sight_of(rules["OM211"])  # reads the tenant's device access rules
    assert across.across and across.kinds == {
        "ActiveSyncOrganizationSettings",
        "ActiveSyncDeviceAccessRule",
    }


def test_every_rule_is_read_as_seeing_at_least_its_own_kinds(catalogue: Catalogue) -> None:
    """The cache keys a rule's findings by what it sees: never less than what it judges."""
    for rule in catalogue.policies.rules:
        kinds = sight_of(rule).kinds
        assert kinds is None or set(rule.rule.given.kinds) <= kinds, rule.code
