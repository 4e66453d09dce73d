"""No writable endpoint lets a caller set fields it does not own: role, owner, staff flags, or another
user's data, however many extra fields the body carries."""

from __future__ import annotations

import pytest

from accounts.models import User
from tests.conftest import PASSWORD
from tests.fakes.spotify_records import IDS

pytestmark = pytest.mark.django_db

PRIVILEGED = {
    "role": "admin",
    "is_staff": True,
    "is_superuser": True,
    "is_system": True,
    "token_version": 99,
    "is_active": True,
    "id": 1,
    "pk": 1,
    "owner": 1,
    "user": 1,
}


def test_registering_with_role_admin_makes_a_plain_user(auth_on, admin_user, anon_client) -> None:
    body = {"username": "mallory", "password": "velvet-horse-battery-5", **PRIVILEGED}
    response = anon_client.post("/api/auth/register", body, format="json")
    assert response.status_code == 201, response.content
    mallory = User.objects.get(username="mallory")
    assert (mallory.role, mallory.is_staff, mallory.is_superuser, mallory.is_system) == (
        "user",
        False,
        False,
        False,
    )
    assert mallory.pk != 1


def test_changing_ones_password_with_extra_fields_changes_only_the_password(
    auth_on, alice, bob, alice_client
) -> None:
    body = {
        "current_password": PASSWORD,
        "new_password": "brand-new-horse-77",
        "username": "bob",
        **PRIVILEGED,
    }
    assert alice_client.put("/api/auth/profile/password", body, format="json").status_code == 200
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.username, alice.role, alice.is_staff) == ("alice", "user", False)
    assert alice.check_password("brand-new-horse-77")
    assert bob.check_password(PASSWORD)


def test_an_admin_creating_a_user_cannot_make_a_staff_user_behind_the_role(auth_on, admin_client) -> None:
    body = {
        "username": "dave",
        "password": "amber-horse-battery-5",
        "role": "user",
        "is_staff": True,
        "is_superuser": True,
        "is_system": True,
    }
    assert admin_client.post("/api/auth/users/create", body, format="json").status_code == 201
    dave = User.objects.get(username="dave")
    assert (dave.role, dave.is_staff, dave.is_superuser, dave.is_system) == ("user", False, False, False)


def test_a_role_change_with_extra_fields_changes_only_the_role(auth_on, admin_client, bob) -> None:
    body = {"role": "admin", "username": "mallory", "email": "m@evil.test", "is_active": False}
    assert admin_client.put("/api/auth/users/bob/role", body, format="json").status_code == 200
    bob.refresh_from_db()
    assert (bob.username, bob.email, bob.is_active, bob.role) == ("bob", "bob@example.test", True, "admin")


@pytest.mark.parametrize("url", ["/api/config/", "/api/config/watch"])
def test_configuration_refuses_unknown_keys_and_stores_none(auth_on, admin_client, library_root, url) -> None:
    response = admin_client.put(url, {"role": "admin", "owner": 1, "notASetting": 1}, format="json")
    assert response.status_code == 400
    assert set(response.json()["details"]) >= {"role", "owner", "notASetting"}
    stored = admin_client.get(url).json()
    assert not {"role", "owner", "notASetting"} & set(stored)


def test_a_download_request_cannot_be_made_in_someone_elses_name(
    auth_on, alice, bob, alice_client, spotify_api, library_root
) -> None:
    from downloads.models import DownloadTask

    response = alice_client.get(f"/api/track/download/{IDS.track}?owner={bob.pk}&user=bob&requested_by=bob")
    assert response.status_code in (202, 400), response.content
    assert not DownloadTask.objects.filter(owner=bob).exists()
    if response.status_code == 202:
        task = DownloadTask.objects.get(pk=response.json()["task_id"])
        assert task.owner == alice and task.original_request["requested_by"] == "alice"


def test_download_settings_outside_the_overridable_ones_are_never_applied(
    auth_on, alice_client, spotify_api, library_root
) -> None:
    from downloads.models import DownloadTask

    response = alice_client.get(
        f"/api/track/download/{IDS.track}?downloadPath=/etc&maxConcurrentDownloads=99"
    )
    assert response.status_code in (202, 400), response.content
    for task in DownloadTask.objects.all():
        assert not {"downloadPath", "maxConcurrentDownloads"} & set(task.overrides)
        assert task.settings_snapshot["downloadPath"] == str(library_root)


def test_a_credential_body_cannot_set_other_fields(auth_on, admin_client, tmp_path, settings) -> None:
    from settings_app.models import Credential

    settings.DATA_DIR = tmp_path
    body = {
        "client_id": "cid",
        "client_secret": "csecret-1234",
        "service": "deezer",
        "name": "other",
        "id": 77,
    }
    assert admin_client.post("/api/credentials/spotify/mine", body, format="json").status_code == 201
    credential = Credential.objects.get()
    assert (credential.service, credential.name) == ("spotify", "mine") and credential.pk != 77


def test_a_watch_cannot_be_made_for_someone_else(
    auth_on, alice, bob, alice_client, spotify_api, library_root
) -> None:
    from settings_app.services import watch_config_update
    from watching.models import Watch

    watch_config_update(changes={"enabled": True})
    response = alice_client.put(
        f"/api/playlist/watch/{IDS.small_playlist}",
        {"user": bob.pk, "owner": "bob", "user_id": bob.pk},
        format="json",
    )
    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert {"user", "owner", "user_id"} <= set(response.json()["details"])
    assert not Watch.objects.filter(user=bob).exists()
