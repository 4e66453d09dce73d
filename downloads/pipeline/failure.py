"""How a step says a track could not be made."""

from __future__ import annotations


class TrackFailure(Exception):
    """A track could not be made. ``permanent`` False: trying again later may work. The message is
    shown to users, so it says what happened and, where it can, what to do. ``not_found``: every
    source answered that it does not have the track (it then enters the owner's wanted list)."""

    def __init__(
        self, reason: str, *, permanent: bool, retry_after: float | None = None, not_found: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after  # the source asked to wait at least this long (a 429)
        self.not_found = not_found
