"""Writes on users and their tokens. Views, admin actions and commands call these; nothing else
changes users.

Guards, as the API reports them:
- acting on yourself (delete, demote, deactivate): 400 ``cannot_change_self``;
- removing, demoting or deactivating the last active admin: 409 ``last_admin``;
- a taken or reserved user name: 409 ``username_taken``;
- a password Django's validators refuse: 400 ``invalid`` with the messages under the field name.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenBackendExpiredToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import selectors
from accounts.errors import InvalidCredentials, LoginThrottled, TokenRejected
from accounts.known_users import users_changed
from accounts.models import User
from accounts.throttle import client_address, login_record_failure, login_record_success, login_throttle_check
from accounts.tokens import TOKEN_VERSION_CLAIM, issue_token_pair
from spotizerr.errors import BadRequest, Conflict, Forbidden

# Re-exported: every login path (API, dashboard, Django admin) shares one throttle.
__all__ = [
    "client_address",
    "login_record_failure",
    "login_record_success",
    "login_throttle_check",
]


# ---------------------------------------------------------------- start-up


def ensure_initial_admin() -> str | None:
    """Create the admin named in the environment when auth is on and nobody exists yet."""
    if not settings.AUTH_ENABLED or not settings.ADMIN_USERNAME or not settings.ADMIN_PASSWORD:
        return None
    if User.objects.filter(is_system=False).exists():
        return None
    user = User(username=settings.ADMIN_USERNAME, role=User.Role.ADMIN)
    user.set_password(settings.ADMIN_PASSWORD)
    user.save()
    return f"Created admin user {user.username!r}."


# ---------------------------------------------------------------- logging in


def login_authenticate(
    *, username: str, password: str, address: str, request: HttpRequest | None = None
) -> User:
    """Check a user name and password under the failed-login throttle; every login path uses this.

    Raises LoginThrottled (429, with ``wait``) while the name or address cools off, and
    InvalidCredentials (401) for a wrong name or password or an inactive account.
    """
    wait = login_throttle_check(username=username, address=address)
    if wait is not None:
        raise LoginThrottled(wait=wait)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or user.is_system:
        login_record_failure(username=username, address=address)
        raise InvalidCredentials()
    login_record_success(username=username, address=address)
    return user


def tokens_issue(*, user: User, record_login: bool = True) -> dict[str, str]:
    """A fresh ``{"access", "refresh"}`` pair for ``user``; ``record_login`` sets ``last_login``."""
    if record_login:
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    return issue_token_pair(user)


def tokens_refresh(*, refresh_token: str) -> tuple[User, dict[str, str]]:
    """Rotate a refresh token: blacklist it and return its user with a new pair.

    Raises TokenRejected (401) for a forged, expired, blacklisted or already-rotated token,
    one issued before the user's tokens were revoked, or one of an inactive user.
    """
    try:
        old = RefreshToken(refresh_token)  # checks signature, alg, type, expiry and blacklist
    except TokenError as exc:
        raise TokenRejected() from exc
    user_id = old.get(jwt_settings.USER_ID_CLAIM)
    user = User.objects.filter(pk=user_id, is_active=True, is_system=False).first()
    if user is None or old.get(TOKEN_VERSION_CLAIM) != user.token_version:
        raise TokenRejected()
    _, newly_blacklisted = old.blacklist()
    if not newly_blacklisted:  # a concurrent refresh of the same token won the race
        raise TokenRejected()
    return user, issue_token_pair(user)


def tokens_revoke(*, user: User, refresh_token: str | None = None, session_id: str | None = None) -> None:
    """Log out one session: blacklist the refresh token (given, or named by ``session_id``).

    Its access tokens stop working on the next request. An expired or already revoked token is
    fine (nothing left to do); raises BadRequest (400) for a token that is not a valid refresh
    token of ``user``.
    """
    if refresh_token is not None:
        session_id = _refresh_token_jti(user=user, refresh_token=refresh_token)
    if not session_id:
        return
    outstanding = OutstandingToken.objects.filter(jti=session_id).first()
    if outstanding is not None:
        BlacklistedToken.objects.get_or_create(token=outstanding)


def _refresh_token_jti(*, user: User, refresh_token: str) -> str | None:
    try:
        payload = token_backend.decode(refresh_token, verify=True)  # signature, alg and expiry
    except TokenBackendExpiredToken:
        return None
    except TokenBackendError as exc:
        raise BadRequest("Not a valid refresh token.", code="invalid_refresh_token") from exc
    if payload.get(jwt_settings.TOKEN_TYPE_CLAIM) != "refresh":
        raise BadRequest("Not a valid refresh token.", code="invalid_refresh_token")
    if str(payload.get(jwt_settings.USER_ID_CLAIM)) != str(user.pk):
        raise BadRequest("This refresh token belongs to another user.", code="invalid_refresh_token")
    return str(payload.get(jwt_settings.JTI_CLAIM) or "") or None


def user_revoke_tokens(*, user: User) -> None:
    """Make every token issued to ``user`` so far stop working on its next use."""
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    users_changed()  # an update() sends no post_save: tell every process (accounts.known_users)
    user.refresh_from_db(fields=["token_version"])


# ---------------------------------------------------------------- accounts


@transaction.atomic
def user_register(*, username: str, password: str, email: str = "") -> User:
    """Self-service sign-up. The first person to register becomes admin.

    Raises Forbidden (403) when registration is disabled, Conflict (409) for a taken name,
    BadRequest (400) for a weak password.
    """
    if not settings.REGISTRATION_ENABLED:
        raise Forbidden("Registration is disabled on this server.", code="registration_disabled")
    first = not selectors.user_list().exists()
    role = User.Role.ADMIN if first else User.Role.USER
    return _user_add(username=username, password=password, email=email, role=role)


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", role: str = User.Role.USER) -> User:
    """An admin adds an account. Raises BadRequest (400) or Conflict (409) as ``user_register``."""
    _check_role(role)
    return _user_add(username=username, password=password, email=email, role=role)


def _user_add(*, username: str, password: str, email: str, role: str) -> User:
    reserved = username.casefold() == settings.SYSTEM_USERNAME.casefold()
    if reserved or selectors.user_name_taken(username=username):
        raise Conflict(f"The user name {username!r} is taken.", code="username_taken")
    user = User(username=username, email=email, role=role)
    _check_password(password, user=user, field="password")
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise Conflict(f"The user name {username!r} is taken.", code="username_taken") from exc
    return user


@transaction.atomic
def user_delete(*, actor: User, user: User) -> None:
    """Delete an account. Raises BadRequest (self), Conflict (last admin, or data that must stay)."""
    _check_not_self(actor=actor, user=user, action="delete")
    if user.is_admin:
        _check_keeps_an_admin(user=user)
    try:
        user.delete()
    except ProtectedError as exc:
        raise Conflict(
            "This user still owns data that must be kept; deactivate the account instead.",
            code="user_protected",
        ) from exc


@transaction.atomic
def user_set_role(*, actor: User, user: User, role: str) -> User:
    """Change a role and revoke the user's tokens. Guards: not yourself, not the last admin."""
    _check_role(role)
    if role == user.role:
        return user
    if role != User.Role.ADMIN:
        _check_not_self(actor=actor, user=user, action="demote")
        _check_keeps_an_admin(user=user)
    user.role = role
    user.token_version = F("token_version") + 1
    user.save(update_fields=["role", "token_version"])
    user.refresh_from_db(fields=["token_version"])
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """(De)activate an account; deactivation revokes its tokens. Same guards as demotion."""
    if user.is_active == active:
        return user
    if not active:
        _check_not_self(actor=actor, user=user, action="deactivate")
        if user.is_admin:
            _check_keeps_an_admin(user=user)
    user.is_active = active
    user.token_version = F("token_version") + 1
    user.save(update_fields=["is_active", "token_version"])
    user.refresh_from_db(fields=["token_version"])
    return user


def user_set_password(*, user: User, new_password: str, field: str = "new_password") -> User:
    """Set a password (admin reset) and revoke every token issued before.

    Raises BadRequest (400) with the validators' messages under ``field``.
    """
    _check_password(new_password, user=user, field=field)
    user.set_password(new_password)
    user.token_version = F("token_version") + 1
    user.save(update_fields=["password", "token_version"])
    user.refresh_from_db(fields=["token_version"])
    return user


def user_change_password(*, user: User, current_password: str, new_password: str, address: str) -> User:
    """A user changes their own password, proving the current one (under the login throttle).

    Raises LoginThrottled (429), BadRequest (400, ``wrong_password``) for a wrong current
    password, BadRequest (400, ``invalid``) for a weak new one.
    """
    wait = login_throttle_check(username=user.username, address=address)
    if wait is not None:
        raise LoginThrottled(wait=wait)
    if not user.check_password(current_password):
        login_record_failure(username=user.username, address=address)
        raise BadRequest(
            "The current password is wrong.",
            code="wrong_password",
            details={"current_password": ["The current password is wrong."]},
        )
    return user_set_password(user=user, new_password=new_password)


# ---------------------------------------------------------------- guards


def _check_role(role: str) -> None:
    if role not in User.Role.values:
        raise BadRequest(
            "Invalid input.",
            code="invalid",
            details={"role": [f"Must be one of: {', '.join(User.Role.values)}."]},
        )


def _check_password(password: str, *, user: User, field: str) -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise BadRequest("Invalid input.", code="invalid", details={field: list(exc.messages)}) from exc


def _check_not_self(*, actor: User, user: User, action: str) -> None:
    if actor.pk == user.pk:
        raise BadRequest(
            f"You cannot {action} your own account; ask another admin.", code="cannot_change_self"
        )


def _check_keeps_an_admin(*, user: User) -> None:
    # Lock the admin rows so two admins demoting each other cannot both pass (PostgreSQL;
    # SQLite's IMMEDIATE transactions already serialize writers).
    list(selectors.user_list().select_for_update().filter(role=User.Role.ADMIN, is_active=True))
    if selectors.admin_count(exclude=user) == 0:
        raise Conflict("This is the last admin; make someone else admin first.", code="last_admin")
