from __future__ import annotations

from pathlib import Path

import pytest

from faqlint.run import Catalogue, load_catalogue

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()
