"""ASGI entry point: the progress stream (Server-Sent Events, see downloads.streaming) through Channels,
everything else to Django."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotizerr.settings")

import django

django.setup(set_prefix=False)  # before importing anything that touches models

from django.conf import settings

from spotizerr.runtime.web_handler import PooledASGIHandler

django_asgi_app = PooledASGIHandler(threads=settings.WEB_THREADS)

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.sessions import SessionMiddlewareStack
from django.urls import re_path

from downloads.streaming import ProgressStreamConsumer

application = ProtocolTypeRouter(
    {
        "http": URLRouter(
            [
                re_path(r"^api/prgs/stream/?$", SessionMiddlewareStack(ProgressStreamConsumer.as_asgi())),
                re_path(r"", django_asgi_app),  # type: ignore[arg-type]  # channels routes to ASGI apps
            ]
        ),
    }
)
