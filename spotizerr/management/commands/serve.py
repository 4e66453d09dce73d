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

from spotizerr.watchdog import ClusterProcess, Watchdog

STOP_TIMEOUT_SECONDS = 30  # the web server; the cluster gets SPOTIZERR_CLUSTER_STOP_SECONDS


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
    help = ("Run the web server (daphne) and the worker cluster (qcluster) together until interrupted; a "
            "watchdog restarts the cluster when it dies or hangs (docs/deployment.md).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--no-workers", action="store_true", help="Start only the web server.")
        parser.add_argument("--no-web", action="store_true",
                            help="Start only the worker cluster and its watchdog (a workers-only machine).")
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        check_open_access(host)
        if not options["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("bootstrap", verbosity=0)
        if options["no_web"] and options["no_workers"]:
            raise CommandError("--no-web and --no-workers leave nothing to run.")
        web = None if options["no_web"] else self._start_web(host, port)
        cluster = None if options["no_workers"] else ClusterProcess()
        if cluster is not None:
            cluster.start()
        where = f"on http://{host}:{port}" if web is not None else "(workers only)"
        self.stdout.write(f"Spotizerr is running {where} (Ctrl-C to stop)")
        self._wait(web, cluster)

    def _start_web(self, host: str, port: int) -> subprocess.Popen:
        command = [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "spotizerr.asgi:application"]
        return subprocess.Popen(command, cwd=settings.BASE_DIR)

    def _wait(self, web: subprocess.Popen | None, cluster: ClusterProcess | None) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        watchdog = Watchdog(cluster) if cluster is not None else None
        while not stopping and (web is None or web.poll() is None):
            if watchdog is not None:
                watchdog.tick()  # restarts a cluster that died or hangs
            time.sleep(0.3)
        self._stop(web, cluster)

    def _stop(self, web: subprocess.Popen | None, cluster: ClusterProcess | None) -> None:
        # Signal each main process only: the cluster stops its own workers after their current track.
        if web is not None and web.poll() is None:
            web.send_signal(signal.SIGTERM)
        if cluster is not None:
            cluster.stop()
        if web is not None:
            try:
                web.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                web.kill()
        self.stdout.write("Spotizerr stopped.")
