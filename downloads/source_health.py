"""Source problems only the operator can fix (the inbox folder gone or unreadable, the external
command missing or not executable), found by looking at the configured sources themselves, and told
to the operator-wide notification targets at most once an hour per problem.

Checked when a download ended with failed tracks (``downloads.notify``), so a healthy installation
pays nothing and a broken one is reported once, not at every track.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from downloads.sources.command import command_settings
from downloads.sources.registry import source_order
from settings_app.notifications import notification_health_problem


def source_problems(config: dict[str, Any]) -> dict[str, str]:
    """``{problem key: what is wrong and what to do}`` for the sources ``config`` uses."""
    problems: dict[str, str] = {}
    names = source_order(config)
    if "inbox" in names:
        problem = _inbox_problem(config.get("inboxPath"))
        if problem:
            problems["source:inbox"] = problem
    if "command" in names:
        problem = _command_problem(config)
        if problem:
            problems["source:command"] = problem
    return problems


def _inbox_problem(configured: Any) -> str | None:
    if not configured:
        return "No inbox folder is configured: set inboxPath on the settings page."
    root = Path(str(configured)).expanduser().absolute()
    if not root.is_dir():
        return f"The inbox folder {root} does not exist: create it, mount it, or change inboxPath."
    if not os.access(root, os.R_OK | os.X_OK):
        return f"The inbox folder {root} cannot be read by Spotizerr: give its user read access."
    return None


def _command_problem(config: dict[str, Any]) -> str | None:
    command = command_settings(config)
    if command is None:
        return "The command source is chosen but no command is configured: set commandSource.argv."
    program = str(next(iter(command["argv"])))
    if os.sep in program:
        runnable = Path(program).is_file() and os.access(program, os.X_OK)
    else:
        runnable = shutil.which(program) is not None
    if not runnable:
        return f"The command {program!r} cannot be started (missing or not executable): install it or fix commandSource.argv."
    return None


def source_problems_announce(config: dict[str, Any]) -> int:
    """Queue a ``health_problem`` message for each problem not already told within the hour."""
    told = 0
    for key, body in source_problems(config).items():
        told += notification_health_problem(key=key, title="A download source needs attention", body=body)
    return told
