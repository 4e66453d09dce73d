"""spotizerr.lib.prepared: a queryset compiled once answers like the ORM for any parameter values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db.models import Count

from accounts.models import User
from spotizerr.lib.prepared import PreparedQuery

pytestmark = pytest.mark.django_db


def test_rows_match_the_orm_for_other_values_than_the_samples(alice, bob) -> None:
    by_role = PreparedQuery(
        lambda role: (
            User.objects.filter(role=role).order_by("username").values_list("username", "created_at")
        ),
        "\x00role",
    )

    for role in (User.Role.USER, User.Role.ADMIN, "nobody"):
        expected = list(
            User.objects.filter(role=role).order_by("username").values_list("username", "created_at")
        )
        assert by_role.rows(role) == expected


def test_converters_run_as_the_orm_runs_them(alice) -> None:
    created = PreparedQuery(lambda pk: User.objects.filter(pk=pk).values_list("created_at"), -7_301)

    (value,) = created.rows(alice.pk)[0]

    assert isinstance(value, datetime)
    assert value.tzinfo is not None and value.astimezone(UTC) == alice.created_at.astimezone(UTC)


def test_aggregates_group_as_compiled(alice, bob) -> None:
    per_role = PreparedQuery(lambda: User.objects.order_by().values_list("role").annotate(n=Count("pk")))

    assert dict(per_role.rows()) == {User.Role.USER: 2}


def test_a_sample_that_is_not_a_single_parameter_is_refused() -> None:
    twice = PreparedQuery(
        lambda name: User.objects.filter(username=name, first_name=name).values_list("pk"), "x"
    )

    with pytest.raises(ValueError, match="appears 2 times"):
        twice.rows("alice")
