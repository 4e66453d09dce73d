from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from settings_app import selectors, services
from settings_app.models import Credential
from spotizerr.errors import BadRequest, Conflict, NotFound
from tests.settings_app.conftest import SECRET

pytestmark = pytest.mark.django_db


def test_the_raw_database_column_holds_only_ciphertext(spotify_set) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM settings_app_credential")
        rows = cursor.fetchall()
    assert rows and SECRET not in repr(rows)


def test_the_first_spotify_set_becomes_active(spotify_set) -> None:
    assert selectors.get_config()["spotify"] == "main"


def test_a_second_spotify_set_does_not_replace_the_active_one(spotify_set) -> None:
    services.credential_create(service="spotify", name="other", client_id="id2", client_secret="secret-2222")
    assert selectors.active_spotify_credentials().name == "main"


def test_active_spotify_credentials_follow_the_spotify_config_key(spotify_set) -> None:
    services.credential_create(service="spotify", name="other", client_id="id2", client_secret="secret-2222")
    services.config_update(changes={"spotify": "other"})
    active = selectors.active_spotify_credentials()
    assert (active.name, active.client_id, active.client_secret) == ("other", "id2", "secret-2222")


def test_active_spotify_credentials_fall_back_to_the_first_set_when_none_is_named(spotify_set) -> None:
    services.config_update(changes={"spotify": None})
    assert selectors.active_spotify_credentials().client_secret == SECRET


def test_active_spotify_credentials_fall_back_to_the_environment(db, key_dir, settings) -> None:
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "env-id", "env-secret"
    active = selectors.active_spotify_credentials()
    assert (active.client_id, active.client_secret, active.name) == ("env-id", "env-secret", "environment")


def test_active_spotify_credentials_are_none_when_nothing_is_configured(db, key_dir, settings) -> None:
    settings.SPOTIFY_CLIENT_ID = settings.SPOTIFY_CLIENT_SECRET = None
    assert selectors.active_spotify_credentials() is None


def test_the_credentials_repr_hides_the_secret(spotify_set) -> None:
    assert SECRET not in repr(selectors.active_spotify_credentials())


def test_a_duplicate_name_is_a_conflict(spotify_set) -> None:
    with pytest.raises(Conflict):
        services.credential_create(service="spotify", name="main", client_id="x", client_secret="y")


def test_an_unknown_service_is_a_bad_request(db, key_dir) -> None:
    with pytest.raises(BadRequest):
        services.credential_create(service="tidal", name="a", client_id="x", client_secret="y")


def test_an_empty_client_secret_is_a_bad_request(db, key_dir) -> None:
    with pytest.raises(BadRequest) as caught:
        services.credential_create(service="spotify", name="a", client_id="x", client_secret=" ")
    assert "client_secret" in caught.value.details


def test_updating_the_secret_changes_what_decrypts(spotify_set) -> None:
    services.credential_update(service="spotify", name="main", client_secret="new-secret-value")
    assert selectors.active_spotify_credentials().client_secret == "new-secret-value"


def test_updating_a_missing_set_is_not_found(db, key_dir) -> None:
    with pytest.raises(NotFound):
        services.credential_update(service="spotify", name="nope", client_id="x")


def test_deleting_the_active_set_makes_the_next_one_active(spotify_set) -> None:
    services.credential_create(service="spotify", name="other", client_id="id2", client_secret="secret-2222")
    services.credential_delete(service="spotify", name="main")
    assert selectors.get_config()["spotify"] == "other"


def test_deleting_the_last_set_leaves_no_active_name(spotify_set) -> None:
    services.credential_delete(service="spotify", name="main")
    assert selectors.get_config()["spotify"] is None
    assert not Credential.objects.exists()


def test_seeding_from_the_environment_creates_a_default_set_once(db, key_dir, settings) -> None:
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "env-id", "env-secret-123"
    first, second = list(services.seed_from_environment()), list(services.seed_from_environment())
    assert len(first) == 1 and second == []
    assert selectors.active_spotify_credentials().name == "default"


def test_seeding_does_nothing_when_a_spotify_set_exists(spotify_set, settings) -> None:
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "env-id", "env-secret-123"
    assert list(services.seed_from_environment()) == []


def test_the_bootstrap_command_seeds_spotify_credentials_from_the_environment(db, key_dir, settings) -> None:
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "env-id", "env-secret-123"
    call_command("bootstrap", stdout=StringIO())
    assert Credential.objects.get().name == "default"


def test_a_masked_secret_is_not_stored_as_a_new_secret(db, key_dir) -> None:
    with pytest.raises(BadRequest) as caught:
        services.credential_create(service="spotify", name="a", client_id="x", client_secret="****abcd")
    assert "client_secret" in caught.value.details


def test_a_name_with_surrounding_spaces_is_refused(db, key_dir) -> None:
    with pytest.raises(BadRequest) as caught:
        services.credential_create(service="spotify", name=" a ", client_id="x", client_secret="secret-1")
    assert "name" in caught.value.details


def test_a_name_longer_than_100_characters_is_refused(db, key_dir) -> None:
    with pytest.raises(BadRequest) as caught:
        services.credential_create(service="spotify", name="n" * 101, client_id="x", client_secret="secret-1")
    assert "name" in caught.value.details
