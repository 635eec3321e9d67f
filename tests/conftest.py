from __future__ import annotations

from pathlib import Path

import pytest

from faqlint.run import Catalogue, load_catalogue

REPO = Path(__file__).resolve().parent.parent

# The kinds an admin writes, listed here independently of schemas/ so that a missing schema fails.
KINDS = (
    "Tenant",
    "ExchangeOrganizationConfig",
    "CASMailbox",
    "ActiveSyncOrganizationSettings",
    "ActiveSyncDeviceAccessRule",
    "IRMConfiguration",
    "TokenLifetimePolicy",
    "ConditionalAccessPolicy",
    "AppProtectionPolicy",
    "AppConfigurationPolicy",
    "SubscribedSku",
    "LicenseAssignment",
    "NetworkConfiguration",
    "OutlookMobileDeployment",
)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's cache."""
    import os

    os.environ["FAQLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default format is `github` under GitHub Actions; tests expect the local default."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
