"""``manage.py create_operator``: an admin account to log in with, also while auth is off.

With ``SPOTIZERR_AUTH_ENABLED=false`` the dashboard and the API act as the built-in system user, which
cannot log in; the Django admin (``/admin/``) still needs a real admin. This command makes one through
``accounts.services.user_create``, so the password rules apply.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.models import User
from spotizerr.errors import ApiError


class Command(BaseCommand):
    help = "Create an admin account (the operator) for the Django admin and for logging in once auth is on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="operator", help='The account name (default "operator").')
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input (scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = self._password(from_stdin=options["password_stdin"])
        try:
            user = services.user_create(username=options["username"], password=password, role=User.Role.ADMIN)
        except ApiError as error:
            details = error.details if isinstance(error.details, dict) else {}
            problems = "; ".join(f"{key}: {' '.join(map(str, value))}" for key, value in details.items())
            raise CommandError(f"{error.message} {problems}".strip()) from error
        self.stdout.write(
            f"Created the admin {user.username!r}. Log in at /admin/ (or /login/ once auth is on)."
        )

    def _password(self, *, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was created.")
        return first
