"""Genres from MusicBrainz (by ISRC) through musicbrainzngs."""
