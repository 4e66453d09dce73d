"""Start-up checks for account settings (run by ``manage.py check`` and every server start)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from accounts.throttle import trusted_proxy_networks


@register()
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every SPOTIZERR_TRUSTED_PROXIES entry must be an IP address or network."""
    try:
        trusted_proxy_networks()
    except ValueError as exc:
        return [
            Error(
                f"SPOTIZERR_TRUSTED_PROXIES has an entry that is not an IP address or network: {exc}",
                hint="Use addresses or CIDR networks, e.g. 127.0.0.1,10.0.0.0/8.",
                id="accounts.E001",
            )
        ]
    return []
