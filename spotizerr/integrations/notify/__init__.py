"""Notifications through Apprise: one URL syntax for ntfy, Discord, Telegram, Gotify, e-mail, JSON
webhooks and the rest (https://github.com/caronc/apprise/wiki). No per-service senders here."""
