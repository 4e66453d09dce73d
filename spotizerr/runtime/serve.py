"""Start the whole service: daphne (web + progress stream) in this process, or in several forked web
processes (``--web-processes``), and the django-q2 worker cluster as a child, restarted by a watchdog
when it dies or hangs."""

from __future__ import annotations

import ipaddress
import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from spotizerr.runtime.forked_cluster import close_database_pools, preload_workers
from spotizerr.runtime.watchdog import ClusterProcess, Watchdog
from spotizerr.runtime.web_processes import WebProcesses, preload_application, run_daphne


def is_loopback(host: str) -> bool:
    if host in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_names_note(host: str) -> str | None:
    """Listening beyond loopback: which ``Host`` names get an answer (others get 400), and what to set."""
    if is_loopback(host) or "*" in settings.ALLOWED_HOSTS:
        return None
    return (
        f"It answers to the host names {', '.join(settings.ALLOWED_HOSTS)}; to reach it by another "
        "name or address, set SPOTIZERR_PUBLIC_URL or SPOTIZERR_ALLOWED_HOSTS."
    )


def check_open_access(host: str) -> None:
    """Refuse to expose an unauthenticated service beyond this machine unless told to."""
    if settings.AUTH_ENABLED or settings.ALLOW_OPEN_ACCESS or is_loopback(host):
        return
    raise CommandError(
        f"Refusing to listen on {host} with authentication disabled: anyone on the network would be an "
        "admin. Set SPOTIZERR_AUTH_ENABLED=true (recommended) or SPOTIZERR_ALLOW_OPEN_ACCESS=true."
    )


def _preload(*, web: bool, workers: bool) -> None:
    """Load what the web processes and the workers run before any of them is forked, so they share
    it (``web_processes.preload_application``, ``forked_cluster.preload_workers``)."""
    if web:
        preload_application()
    if workers:
        preload_workers()
    close_database_pools()


class Command(BaseCommand):
    help = (
        "Run the web server (daphne) and the worker cluster (qcluster) together until interrupted; a "
        "watchdog restarts the cluster when it dies or hangs (docs/deployment.md)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=settings.HOST)
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--no-workers", action="store_true", help="Start only the web server.")
        parser.add_argument(
            "--no-web",
            action="store_true",
            help="Start only the worker cluster and its watchdog (a workers-only machine).",
        )
        parser.add_argument("--skip-migrate", action="store_true")
        parser.add_argument(
            "--web-processes",
            type=int,
            default=settings.WEB_PROCESSES,
            help="Web server processes on the one port (default: SPOTIZERR_WEB_PROCESSES).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        check_open_access(host)
        if options["web_processes"] < 1:
            raise CommandError("--web-processes must be at least 1.")
        if options["no_web"] and options["no_workers"]:
            raise CommandError("--no-web and --no-workers leave nothing to run.")
        if not options["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("bootstrap", verbosity=0)
        _preload(web=not options["no_web"], workers=not options["no_workers"])
        cluster = None if options["no_workers"] else ClusterProcess()
        watchdog = Watchdog(cluster) if cluster is not None else None
        if cluster is not None:
            cluster.start()
        where = "(workers only)" if options["no_web"] else f"on http://{host}:{port}"
        self.stdout.write(f"Spotizerr is running {where} (Ctrl-C to stop)")
        note = None if options["no_web"] else host_names_note(host)
        if note:
            self.stdout.write(note)
        web = None
        try:
            if options["no_web"]:
                self._watch(watchdog)
            elif options["web_processes"] > 1:
                web = WebProcesses(host, port, options["web_processes"])
                try:
                    web.start()
                except OSError as error:
                    raise CommandError(
                        f"Cannot listen on {host}:{port}: {error.strerror or error}"
                    ) from error
                self._watch(watchdog, web)
            else:
                if watchdog is not None:
                    threading.Thread(target=watchdog.watch_forever, name="watchdog", daemon=True).start()
                run_daphne(host, port)  # in this very process: one copy of Django less than a child
        finally:
            if web is not None:
                web.stop()
            if watchdog is not None:
                watchdog.shutdown()  # SIGTERM to the cluster's main process only, then wait
        self.stdout.write("Spotizerr stopped.")

    def _watch(self, watchdog: Watchdog | None, web: WebProcesses | None = None) -> None:
        """The watchdog (and the web processes' keeper) in the main thread until SIGINT or SIGTERM."""
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while not stopping:
            if watchdog is not None:
                watchdog.tick()  # restarts a cluster that died or hangs
            if web is not None:
                web.reap()  # restarts a web process that died
            time.sleep(0.3)
