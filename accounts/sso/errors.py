"""Why a single sign-on attempt or an unlink was refused, in the API's one error shape.

Each error says what happened and what the person can do; only ``SsoProviderError`` is one
where trying again later may help.
"""

from __future__ import annotations

from rest_framework import status

from spotizerr.errors import ApiError, BadRequest, Conflict, Forbidden, NotFound


class SsoProviderUnknown(NotFound):
    """The provider is not one we support, or it is not configured on this server."""

    default_detail = "This single sign-on provider is not available."
    default_code = "sso_provider_unknown"


class SsoStateInvalid(BadRequest):
    """The callback's ``state`` is missing, forged, expired, used twice or from another browser."""

    default_detail = "The sign-in could not be verified (missing or unknown state); start the sign-in again."
    default_code = "sso_state_invalid"


class SsoAccessDenied(Forbidden):
    """The person declined to share their account with Spotizerr at the provider."""

    default_detail = "Access was denied at the provider, so you were not signed in."
    default_code = "sso_access_denied"


class SsoProviderError(ApiError):
    """The provider reported an error or failed to answer; retrying later may help."""

    status_code = status.HTTP_502_BAD_GATEWAY
    default_detail = "The sign-in provider failed to complete the sign-in; try again later."
    default_code = "sso_provider_error"


class SsoEmailUnverified(Forbidden):
    """The provider account has no verified email, so it can neither be linked nor registered."""

    default_detail = (
        "Your account at the provider has no verified email address; verify one there and sign in again."
    )
    default_code = "sso_email_unverified"


class SsoEmailAmbiguous(Conflict):
    """More than one local user has the verified email, so we cannot tell which one to link."""

    default_detail = "Several Spotizerr accounts use this email address; ask an administrator to resolve it."
    default_code = "sso_email_ambiguous"


class SsoRegistrationClosed(Forbidden):
    """No local account matches and registration of new users is disabled."""

    default_detail = (
        "No Spotizerr account matches this sign-in and registration is disabled; ask an "
        "administrator to create your account."
    )
    default_code = "registration_disabled"


class SsoAccountInactive(Forbidden):
    """The matching local account is deactivated."""

    default_detail = "This Spotizerr account is deactivated."
    default_code = "account_disabled"


class SsoNotLinked(NotFound):
    default_detail = "Your account is not linked to this provider."
    default_code = "sso_not_linked"


class SsoUnlinkRefused(Conflict):
    """Unlinking would leave the account with no password and no other provider to log in with."""

    default_detail = (
        "Unlinking would leave your account without any way to log in; set a password "
        "or link another provider first."
    )
    default_code = "sso_last_login_method"


class SsoAccountTaken(Conflict):
    """The provider account to link is already linked to another Spotizerr account."""

    default_detail = (
        "This provider account is already linked to another Spotizerr account; unlink it there first."
    )
    default_code = "sso_account_taken"


class SsoAlreadyLinked(Conflict):
    """The account is linked to another account of the same provider."""

    default_detail = "Your account is already linked to this provider; unlink it first to link another."
    default_code = "sso_already_linked"


class SsoLinkSignedOut(Forbidden):
    """The browser that started linking is no longer signed in as the user who started it."""

    default_detail = "Linking needs you signed in as the account that started it; sign in and link again."
    default_code = "sso_link_signed_out"
