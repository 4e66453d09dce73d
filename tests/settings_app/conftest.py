"""Fixtures for the settings app: isolated encryption keys and credential sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings_app import services
from settings_app.models import Credential

SECRET = "s3cr3t-value-that-must-never-leak-9f2c"


@pytest.fixture
def key_dir(tmp_path: Path, settings) -> Path:
    """A private data dir so key files created or rotated here touch nobody else."""
    data = tmp_path / "data"
    data.mkdir()
    settings.DATA_DIR = data
    settings.ENCRYPTION_KEYS = []
    return data


@pytest.fixture
def spotify_set(db, key_dir) -> Credential:
    return services.credential_create(
        service="spotify", name="main", client_id="client-abc", client_secret=SECRET
    )
