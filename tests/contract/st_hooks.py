"""schemathesis hooks for the contract run (loaded through ``SCHEMATHESIS_HOOKS``).

- Every request carries an admin bearer token, fetched by logging in and fetched again after a 401
  (the fuzzer's own ``POST /api/auth/logout`` ends the token it was sent with).
- The admin account itself is never the target of user-management calls (delete, role, password), so
  the run keeps a working admin to the end.
"""

from __future__ import annotations

import os
from typing import Any

import requests
import schemathesis

URL = os.environ.get("SPOTIZERR_CONTRACT_URL", "")
USERNAME = os.environ.get("SPOTIZERR_CONTRACT_USERNAME", "admin")
PASSWORD = os.environ.get("SPOTIZERR_CONTRACT_PASSWORD", "")


@schemathesis.auth(refresh_interval=600, retry_on=[401])
class AdminToken:
    def get(self, case: Any, ctx: Any) -> str:
        response = requests.post(
            f"{URL}/api/auth/login", json={"username": USERNAME, "password": PASSWORD}, timeout=30
        )
        response.raise_for_status()
        return response.json()["access_token"]

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def filter_path_parameters(ctx: Any, path_parameters: dict[str, Any] | None) -> bool:
    return str((path_parameters or {}).get("username", "")).lower() != USERNAME
