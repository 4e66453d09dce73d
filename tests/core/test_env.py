from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from spotizerr.env import env_bool, env_int, env_list, env_path, env_secret, env_url


def test_env_bool_reads_common_spellings(monkeypatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False


def test_env_bool_rejects_garbage_naming_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_enforces_bounds(monkeypatch) -> None:
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be at least 1"):
        env_int("X_NUM", 5, minimum=1)
    monkeypatch.setenv("X_NUM", "abc")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be an integer"):
        env_int("X_NUM", 5)


def test_env_int_uses_default_when_unset_or_blank(monkeypatch) -> None:
    monkeypatch.setenv("X_NUM", "  ")
    assert env_int("X_NUM", 7) == 7
    monkeypatch.delenv("X_NUM")
    assert env_int("X_NUM", 8) == 8


def test_env_path_is_made_absolute(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("X_DIR", "sub/dir")
    assert env_path("X_DIR", ".") == (tmp_path / "sub" / "dir").resolve()


def test_env_list_splits_and_drops_blanks(monkeypatch) -> None:
    monkeypatch.setenv("X_LIST", "a, b,,c ")
    assert env_list("X_LIST") == ["a", "b", "c"]


def test_env_secret_reads_the_file_variant(monkeypatch, tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("s3cret\n")
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(secret_file))
    assert env_secret("X_SECRET") == "s3cret"


def test_env_secret_file_that_is_missing_names_the_variable(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "nope"))
    with pytest.raises(ImproperlyConfigured, match="X_SECRET_FILE"):
        env_secret("X_SECRET")


def test_env_url_requires_http(monkeypatch) -> None:
    monkeypatch.setenv("X_URL", "ftp://example")
    with pytest.raises(ImproperlyConfigured, match="X_URL"):
        env_url("X_URL")
