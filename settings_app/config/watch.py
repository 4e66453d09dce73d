"""The watch configuration section: how often watched playlists and artists are checked."""

from __future__ import annotations

from settings_app.config import checks
from settings_app.config.section import Key, Section

ALBUM_GROUPS = ("album", "single", "compilation", "appears_on")

WATCH = Section(
    name="watch",
    keys={
        "enabled": Key(checks.boolean, True),
        "check_interval": Key(checks.integer(60, 7 * 24 * 3600), 3600),
        "max_concurrent_checks": Key(checks.integer(1, 16), 2),
        "retry_failed_after": Key(checks.integer(0, 7 * 24 * 3600), 1800),
        "watchedArtistAlbumGroup": Key(
            checks.subset(ALBUM_GROUPS), default_factory=lambda: ["album", "single"]
        ),
        "useSnapshotIdChecking": Key(checks.boolean, True),
        # Inert, kept for the original Spotizerr web UI (its watch form refuses to save without a value
        # from 1 to 50): stored and returned, used by nothing. See docs/configuration.md.
        "maxItemsPerRun": Key(checks.integer(1, 50), 50),
    },
    aliases={"watchPollIntervalSeconds": "check_interval"},
    # the original web UI turns the names it reads into camelCase before sending them back
    input_aliases={
        "checkInterval": "check_interval",
        "maxConcurrentChecks": "max_concurrent_checks",
        "retryFailedAfter": "retry_failed_after",
    },
)
