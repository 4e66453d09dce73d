from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from spotizerr.runtime.serve import check_open_access, host_names_note, is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.5"])
def test_loopback_hosts_are_recognised(host) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org", "::"])
def test_other_hosts_are_not_loopback(host) -> None:
    assert not is_loopback(host)


def test_it_refuses_to_expose_an_unauthenticated_service(settings) -> None:
    settings.AUTH_ENABLED = False
    settings.ALLOW_OPEN_ACCESS = False
    with pytest.raises(CommandError, match="SPOTIZERR_AUTH_ENABLED"):
        check_open_access("0.0.0.0")


def test_it_allows_open_access_when_the_operator_says_so(settings) -> None:
    settings.AUTH_ENABLED = False
    settings.ALLOW_OPEN_ACCESS = True
    check_open_access("0.0.0.0")


def test_it_allows_any_address_with_auth_on(settings) -> None:
    settings.AUTH_ENABLED = True
    settings.ALLOW_OPEN_ACCESS = False
    check_open_access("0.0.0.0")


def test_loopback_is_always_allowed(settings) -> None:
    settings.AUTH_ENABLED = False
    settings.ALLOW_OPEN_ACCESS = False
    check_open_access("127.0.0.1")


def test_listening_on_all_addresses_says_which_host_names_answer(settings) -> None:
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
    note = host_names_note("0.0.0.0")
    assert note is not None and "localhost, 127.0.0.1, [::1]" in note and "SPOTIZERR_PUBLIC_URL" in note


def test_loopback_or_any_host_needs_no_note(settings) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    assert host_names_note("127.0.0.1") is None
    settings.ALLOWED_HOSTS = ["*"]
    assert host_names_note("0.0.0.0") is None
