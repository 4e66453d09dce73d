"""Claims of the inbox scan on task children: a scan takes a child with its lease fields (a
conditional update, so two scans never both import it), renews the heartbeat while the pipeline runs,
and gives it back at the end. A scan that dies stops renewing; the next one takes the child over once
the claim is stale (``downloads.fulfilment``)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from downloads.models import TrackJob
from downloads.pipeline.claims import FULFIL_LEASE_PREFIX


def fulfil_claim(job: TrackJob, *, statuses: tuple[str, ...]) -> str | None:
    """Take ``job`` for one fulfilment or upgrade while it is in one of ``statuses``; None if taken."""
    holder = f"{FULFIL_LEASE_PREFIX}{os.getpid()}:{uuid.uuid4().hex[:10]}"
    stale = timezone.now() - timedelta(seconds=settings.LEASE_STALE_SECONDS)
    taken = (
        TrackJob.objects.filter(pk=job.pk, status__in=statuses)
        .filter(Q(lease_owner="") | Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True))
        .update(lease_owner=holder, heartbeat_at=timezone.now())
    )
    return holder if taken else None


def fulfil_release(job: TrackJob, holder: str) -> None:
    TrackJob.objects.filter(pk=job.pk, lease_owner=holder).update(lease_owner="")


@contextmanager
def fulfil_lease_kept(job: TrackJob, holder: str) -> Iterator[None]:
    """Renew the claim's heartbeat while the pipeline runs (a long conversion outlives a lease
    period); a worker that dies stops renewing it, and the next scan takes the job over."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(max(settings.LEASE_STALE_SECONDS / 4, 0.5)):
                TrackJob.objects.filter(pk=job.pk, lease_owner=holder).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="spotizerr-fulfil-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
