"""POST /api/artist/watch/bulk: ids, links and names (found by search) watched at once."""

from __future__ import annotations

import pytest

from tests.fakes.spotify_api import IDS
from watching.models import Watch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def test_ids_links_and_names_are_watched_and_reported_with_what_they_matched(
    alice_client, alice, spotify
) -> None:
    alice_client.put(f"/api/artist/watch/{IDS.artist}", {}, format="json")
    unknown = "0" * 22

    response = alice_client.post(
        "/api/artist/watch/bulk",
        {
            "artists": [
                f"https://open.spotify.com/artist/{IDS.featured_artist}",
                "prolific painter",
                "The Test Pattern",
                "Nobody Anyone Knows",
                unknown,
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(row["id"], row["matched_by"]) for row in body["added"]] == [
        (IDS.featured_artist, "id"),
        (IDS.big_artist, "search"),
    ]
    assert body["added"][1]["name"] == "Prolific Painter" and body["added"][1]["given"] == "prolific painter"
    assert [(row["id"], row["given"]) for row in body["already_watched"]] == [
        (IDS.artist, "The Test Pattern")
    ]
    assert [row["given"] for row in body["not_found"]] == ["Nobody Anyone Knows", unknown]
    assert Watch.objects.filter(user=alice).count() == 3
    searches = [r for r in spotify.requests if r.path.endswith("/search")]
    assert searches and all(int(r.query["limit"]) <= 10 for r in searches)


def test_an_empty_list_is_refused(alice_client, spotify) -> None:
    response = alice_client.post("/api/artist/watch/bulk", {"artists": []}, format="json")

    assert response.status_code == 400 and Watch.objects.count() == 0
