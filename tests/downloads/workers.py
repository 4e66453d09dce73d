"""Running the django-q2 queue in test threads: what a cluster of ``workers`` processes would do with
the queued deliveries, minus the processes (the delivered functions are the real ones)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection
from django.utils.module_loading import import_string


def _call(func: str, args: tuple, kwargs: dict) -> Any:
    try:
        return import_string(func)(*args, **kwargs)
    finally:
        connection.close()


def run_queue(*, workers: int = 2, timeout: float = 60.0) -> list[str]:
    """Deliver every queued task (and those they queue) with ``workers`` threads until none is left;
    returns the functions called. Raises what a delivered function raised."""
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    broker = get_broker()
    called: list[str] = []
    futures: set[Future] = set()
    deadline = time.monotonic() + timeout
    with ThreadPoolExecutor(workers) as pool:
        while time.monotonic() < deadline:
            for ack, payload in broker.dequeue() or []:
                package = SignedPackage.loads(payload)
                broker.acknowledge(ack)
                called.append(package["func"])
                futures.add(pool.submit(_call, package["func"], package["args"], package["kwargs"]))
            for future in [future for future in futures if future.done()]:
                futures.discard(future)
                future.result()
            if not futures and broker.queue_size() == 0:
                return called
            time.sleep(0.02)
    raise TimeoutError("the queue did not drain in time")


def in_background(target: Any, *args: Any) -> threading.Thread:
    """Start ``target(*args)`` in a thread that closes its database connection when done."""

    def run() -> None:
        try:
            target(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread
