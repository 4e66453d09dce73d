"""Lyrics from LRCLIB (https://lrclib.net), which needs no key."""
