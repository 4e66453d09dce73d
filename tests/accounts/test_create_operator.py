"""``manage.py create_operator``: the operator account for the Django admin, auth on or off."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "operator-horse-battery-42"


def test_it_creates_an_admin_who_can_open_the_django_admin_with_auth_off(auth_off, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    out = io.StringIO()
    call_command("create_operator", "--username", "ops", "--password-stdin", stdout=out)
    assert "Created the admin 'ops'" in out.getvalue()
    user = User.objects.get(username="ops")
    assert user.is_admin and user.is_staff
    client = Client()
    assert client.login(username="ops", password=PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_a_weak_password_is_refused_in_words(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="password"):
        call_command("create_operator", "--password-stdin")
    assert not User.objects.filter(username="operator").exists()
