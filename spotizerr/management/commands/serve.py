"""Start the whole service: daphne (web + progress stream) and the django-q2 worker cluster."""

from __future__ import annotations

import ipaddress
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT_SECONDS = 30


def is_loopback(host: str) -> bool:
    if host in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_open_access(host: str) -> None:
    """Refuse to expose an unauthenticated service beyond this machine unless told to."""
    if settings.AUTH_ENABLED or settings.ALLOW_OPEN_ACCESS or is_loopback(host):
        return
    raise CommandError(
        f"Refusing to listen on {host} with authentication disabled: anyone on the network would be an "
        "admin. Set SPOTIZERR_AUTH_ENABLED=true (recommended) or SPOTIZERR_ALLOW_OPEN_ACCESS=true."
    )


class Command(BaseCommand):
    help = "Run the web server (daphne) and the worker cluster (qcluster) together until interrupted."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--no-workers", action="store_true", help="Start only the web server.")
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        check_open_access(host)
        if not options["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("bootstrap", verbosity=0)
        children = [self._start_web(host, port)]
        if not options["no_workers"]:
            children.append(subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR))
        self.stdout.write(f"Spotizerr is running on http://{host}:{port} (Ctrl-C to stop)")
        self._wait(children)

    def _start_web(self, host: str, port: int) -> subprocess.Popen:
        command = [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "spotizerr.asgi:application"]
        return subprocess.Popen(command, cwd=settings.BASE_DIR)

    def _wait(self, children: list[subprocess.Popen]) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.3)
        self._stop(children)

    def _stop(self, children: list[subprocess.Popen]) -> None:
        # Signal each main process only: the cluster stops its own workers after their current task.
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("Spotizerr stopped.")
