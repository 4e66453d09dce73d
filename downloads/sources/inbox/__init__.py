"""The ``inbox`` source: files the user owns, matched through a persistent index."""

from downloads.sources.inbox.source import InboxSource

__all__ = ["InboxSource"]
