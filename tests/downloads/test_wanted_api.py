"""The wanted-list API: each user sees and drops only their own entries; admins may see everyone's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from downloads.models import WantedTrack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def want(owner: User, track_id: str, *, minutes_ago: int = 0, **fields: object) -> WantedTrack:
    return WantedTrack.objects.create(
        owner=owner,
        track_id=track_id,
        name=f"Song {track_id}",
        artists=["Someone"],
        album="Record",
        album_id="album1",
        isrc=f"ISRC{track_id}",
        duration_ms=180_000,
        context_type="playlist",
        context_id="pl1",
        context_name="Road Trip",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fields,
    )


def test_a_user_lists_only_their_own_wanted_tracks_newest_first(alice, bob, alice_client) -> None:
    want(alice, "a1", minutes_ago=5)
    want(alice, "a2")
    want(bob, "b1")

    body = alice_client.get("/api/library/wanted").json()

    assert [item["track_id"] for item in body["items"]] == ["a2", "a1"] and body["total"] == 2
    item = body["items"][0]
    assert item["context"] == {"type": "playlist", "id": "pl1", "name": "Road Trip"}
    assert (item["album"], item["artists"], item["isrc"], item["requested_by"]) == (
        "Record",
        ["Someone"],
        "ISRCa2",
        "alice",
    )
    assert item["duration_ms"] == 180_000 and item["since"]


def test_the_list_pages_with_limit_and_offset(alice, alice_client) -> None:
    for number in range(5):
        want(alice, f"t{number}", minutes_ago=number)

    body = alice_client.get("/api/library/wanted?limit=2&offset=2").json()

    assert ([item["track_id"] for item in body["items"]], body["total"]) == (["t2", "t3"], 5)


def test_a_bad_limit_is_a_clear_400(alice_client) -> None:
    response = alice_client.get("/api/library/wanted?limit=0")

    assert response.status_code == 400 and "limit" in response.json()["details"]


def test_all_users_shows_everyone_to_admins_only(alice, bob, alice_client, admin_client) -> None:
    want(alice, "a1")
    want(bob, "b1")

    assert alice_client.get("/api/library/wanted?all_users=true").json()["total"] == 1
    assert admin_client.get("/api/library/wanted?all_users=true").json()["total"] == 2


def test_a_user_drops_their_own_entry_and_the_second_time_gets_404(alice, alice_client) -> None:
    want(alice, "a1")

    first = alice_client.delete("/api/library/wanted/a1")
    second = alice_client.delete("/api/library/wanted/a1")

    assert first.status_code == 204 and not WantedTrack.objects.exists()
    assert (second.status_code, second.json()["code"]) == (404, "wanted_not_found")


def test_a_user_cannot_drop_another_users_entry(alice, bob_client) -> None:
    want(alice, "a1")

    response = bob_client.delete("/api/library/wanted/a1")

    assert response.status_code == 404 and WantedTrack.objects.filter(owner=alice).count() == 1
