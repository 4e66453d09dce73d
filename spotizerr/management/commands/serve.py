"""``manage.py serve``: the command lives in ``spotizerr/runtime/serve.py`` with the rest of the runtime."""

from __future__ import annotations

from spotizerr.runtime.serve import Command, check_open_access, host_names_note, is_loopback

__all__ = ["Command", "check_open_access", "host_names_note", "is_loopback"]
