"""The happy paths of ``/api/auth/sso/callback/{provider}``: who the provider account becomes."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken

from accounts.models import User
from tests.conftest import PASSWORD
from tests.fakes.oauth_provider import FakeAccount


def _session_user(sso_browser) -> User | None:
    user_id = sso_browser.client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_first_github_sign_in_creates_a_user_and_lands_on_the_dashboard(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)

    trip = sso_browser.sign_in("github")

    assert trip.landed_on == "/"
    user = User.objects.get(email="octocat@example.test")
    assert (user.username, user.role, user.sso_provider, user.is_sso_user) == (
        "octocat",
        "user",
        "github",
        True,
    )
    assert not user.has_usable_password()
    assert _session_user(sso_browser) == user


def test_a_new_sso_user_is_a_real_allauth_link_with_its_token_and_verified_email(
    sso_browser, octocat
) -> None:
    sso_browser.fake.sign_in("github", octocat)

    sso_browser.sign_in("github")

    account = SocialAccount.objects.get(provider="github", uid="583231")
    assert account.user.username == "octocat"
    assert account.extra_data["login"] == "octocat"
    assert SocialToken.objects.filter(account=account).count() == 1
    assert EmailAddress.objects.filter(
        user=account.user, email="octocat@example.test", verified=True
    ).exists()


def test_a_first_google_sign_in_creates_a_user_named_after_the_email(sso_browser, googler) -> None:
    sso_browser.fake.sign_in("google", googler)

    trip = sso_browser.sign_in("google")

    assert trip.landed_on == "/"
    user = User.objects.get(sso_provider="google")
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "gina",
        "gina@example.test",
        "Gina",
        "Google",
    )


def test_google_sign_in_proves_the_pkce_verifier_to_the_token_endpoint(sso_browser, googler) -> None:
    sso_browser.fake.sign_in("google", googler)

    sso_browser.sign_in("google")

    (token_request,) = sso_browser.fake.token_requests
    assert len(token_request["code_verifier"]) >= 43  # the fake refuses a verifier that does not match


def test_google_sign_in_works_from_userinfo_when_no_id_token_is_returned(sso_browser, googler) -> None:
    sso_browser.fake.sign_in("google", googler)
    sso_browser.fake.google_id_token = False

    trip = sso_browser.sign_in("google")

    assert trip.landed_on == "/"
    assert SocialAccount.objects.get(provider="google").uid == googler.uid


def test_a_linked_provider_account_logs_in_to_the_same_user_again(sso_browser, octocat, client_for) -> None:
    sso_browser.fake.sign_in("github", octocat)
    sso_browser.sign_in("github")
    sso_browser.client.logout()

    trip = sso_browser.sign_in("github")

    assert trip.landed_on == "/"
    assert User.objects.filter(is_system=False).count() == 1
    assert _session_user(sso_browser).username == "octocat"


def test_a_linked_account_logs_in_even_after_its_email_changed_at_the_provider(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)
    sso_browser.sign_in("github")
    sso_browser.client.logout()
    octocat.email, octocat.email_verified = "mona@elsewhere.test", False

    trip = sso_browser.sign_in("github")

    assert trip.landed_on == "/"
    assert SocialAccount.objects.get(provider="github").user.username == "octocat"


def test_a_verified_email_links_the_provider_to_the_existing_user(sso_browser, alice) -> None:
    sso_browser.fake.sign_in("github", FakeAccount(uid="42", email="ALICE@example.test", login="alice-gh"))

    trip = sso_browser.sign_in("github")

    assert trip.landed_on == "/"
    alice.refresh_from_db()
    assert alice.sso_provider == "github"
    assert SocialAccount.objects.get(provider="github", uid="42").user == alice
    assert _session_user(sso_browser) == alice
    assert User.objects.filter(is_system=False).count() == 1


def test_linking_by_email_keeps_the_users_password(sso_browser, alice) -> None:
    sso_browser.fake.sign_in("google", FakeAccount(uid="g-alice", email="alice@example.test", name="Alice A"))

    sso_browser.sign_in("google")

    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_verified_secondary_github_email_is_enough_to_link(sso_browser, alice) -> None:
    sso_browser.fake.sign_in(
        "github",
        FakeAccount(
            uid="77",
            email="alice@work.test",
            email_verified=False,
            login="alice-w",
            other_emails=[("alice@example.test", True)],
        ),
    )

    sso_browser.sign_in("github")

    assert SocialAccount.objects.get(provider="github", uid="77").user == alice


def test_a_new_username_that_is_taken_gets_a_suffix(sso_browser, alice) -> None:
    sso_browser.fake.sign_in("github", FakeAccount(uid="99", email="other-alice@example.test", login="alice"))

    sso_browser.sign_in("github")

    user = User.objects.get(email="other-alice@example.test")
    assert user.username.startswith("alice") and user.username != "alice"


def test_no_token_ever_appears_in_a_url_of_the_flow(sso_browser, octocat) -> None:
    sso_browser.fake.sign_in("github", octocat)

    trip = sso_browser.sign_in("github")

    assert not any("token" in url for url in [*trip.urls, trip.landed_on])
