"""Who may call what: every API endpoint against anonymous, alice, bob and an admin, with auth on.

The table lives in ``tests/security/endpoints.py``. Each row is checked in its own database, callers in
the order anonymous, bob, alice, admin (so the owner's and the admin's writes come last).
"""

from __future__ import annotations

import uuid

import pytest

from tests.fakes.spotify_records import IDS
from tests.security.conftest import call
from tests.security.endpoints import (
    ADMIN,
    MATRIX,
    OWNED,
    PUBLIC,
    SSO_SESSION,
    USER,
    all_endpoints,
    resolver_endpoints,
    schema_endpoints,
)

DENIED = (401, 403)


def ghosts(real: dict[str, str]) -> dict[str, str]:
    """Ids like alice's that nobody owns: another catalog item, a fresh UUID."""
    spares = {"playlist_watch": IDS.big_playlist, "artist_watch": IDS.big_artist}
    return {key: spares.get(key) or str(uuid.uuid4()) for key in real}


def test_every_api_endpoint_is_in_the_matrix() -> None:
    missing = sorted(all_endpoints() - set(MATRIX))
    assert not missing, (
        "Add these endpoints to MATRIX in tests/security/endpoints.py, saying who may call them:\n"
        + "\n".join(f"    {method} {path}" for path, method in missing)
    )


def test_the_matrix_names_no_endpoint_that_is_gone() -> None:
    stale = sorted(key for key, row in MATRIX.items() if not row.pending and key not in all_endpoints())
    assert not stale, f"These MATRIX rows match no endpoint (renamed or removed?): {stale}"


def test_every_endpoint_the_resolver_serves_is_in_the_schema() -> None:
    """The contract tests fuzz the schema; an endpoint outside it would escape them."""
    # the imported playlists' download route takes import:<uuid> ids of the seed's download_playlist
    # operation before the downloads app sees them (one operation in the schema; its ownership rule is
    # tested in tests/playlist_imports/test_import_download.py)
    same_operation = {("/api/playlist/download/{item_id}", "GET")}
    undocumented = sorted(
        resolver_endpoints()
        - schema_endpoints()
        - {("/api/schema/", "GET"), ("/api/docs/", "GET")}
        - same_operation
    )
    assert not undocumented, f"Served but not in the OpenAPI schema: {undocumented}"


def _status(response) -> str:
    return f"{response.status_code} {response.content[:200]!r}"


@pytest.mark.parametrize(("endpoint", "row"), list(MATRIX.items()), ids=[f"{m} {p}" for (p, m) in MATRIX])
def test_each_endpoint_answers_each_caller_as_the_matrix_says(
    endpoint,
    row,
    auth_on,
    library_root,
    inbox_root,
    admin_user,
    alice,
    bob,
    client_for,
    owned,
    assert_no_leaks,
) -> None:
    """GIVEN auth on and, for owned rows, an object alice made
    WHEN anonymous, bob, alice and the admin call the endpoint
    THEN each gets the answer its access level allows, never a 5xx, never a leak. Bob gets 404 on
    alice's objects, or exactly the answer he gets for an object nobody has (a watch "status")."""
    _, method = endpoint
    if row.pending and endpoint not in all_endpoints():
        pytest.xfail(row.pending)
    placeholders = owned(row.access)
    url = row.url.format(**placeholders)

    def ask(user, target=url):
        response = call(client_for(user), method, target, row.body)
        assert response.status_code < 500, f"{method} {url} as {user}: {_status(response)}"
        assert_no_leaks(response)
        return response

    def ask_as_if_missing(user, template, real):
        fake = ghosts(real)
        response = ask(user, template.format(**fake))
        content = response.content
        for key, value in real.items():
            content = content.replace(fake[key].encode(), value.encode())
        return response.status_code, content

    anonymous = ask(None)
    if row.access == PUBLIC:
        assert anonymous.status_code not in DENIED, _status(anonymous)
    else:
        assert anonymous.status_code == 401, _status(anonymous)
        assert anonymous.json()["code"] in {"not_authenticated", "authentication_failed"}
    if row.access == SSO_SESSION:
        return  # bearer callers are refused too; tests/sso covers the session exchange

    other = ask(bob)
    if row.access == ADMIN:
        assert other.status_code == 403, _status(other)
    elif row.access in OWNED and other.status_code != 404:
        # allowed only if bob cannot tell alice's object from one that does not exist
        ghost = ask_as_if_missing(bob, row.url, placeholders)
        assert (other.status_code, other.content) == ghost, f"bob reached alice's object: {_status(other)}"
    else:
        assert other.status_code not in DENIED, _status(other)

    owner = ask(alice)
    if row.access == ADMIN:
        assert owner.status_code == 403, _status(owner)
    elif row.access in OWNED:
        assert owner.status_code not in (*DENIED, 404), _status(owner)
    elif row.access == USER:
        assert owner.status_code not in DENIED, _status(owner)

    admin = ask(admin_user)
    assert admin.status_code not in DENIED, _status(admin)
