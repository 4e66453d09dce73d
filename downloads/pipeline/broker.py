"""What django-q2's broker still holds: the messages no cluster has taken yet.

A cluster takes messages ahead of its workers (its pusher keeps a few in memory). When the whole
cluster dies (SIGKILL, a machine lost), the messages it held are gone with it on the Redis broker,
and on the ORM broker they come back only after ``Q_CLUSTER["retry"]`` (hours). The reaper asks this
module which queued tasks still have a message waiting, and sends the others again.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.db import DatabaseError
from django.utils import timezone

logger = logging.getLogger(__name__)

# A longer queue is not read (the reaper then falls back on its hourly resend): each message has to
# be unsigned and unpickled to learn its task.
MAX_READ = 5000


def waiting_task_ids(func: str) -> set[str] | None:
    """Ids of the tasks with a ``func`` message waiting in the broker, taken by no cluster yet.

    None when the broker cannot be read, or is a kind this does not know how to read."""
    from django_q.brokers import get_broker
    from django_q.brokers.orm import ORM

    broker = get_broker()
    try:
        payloads = _orm_waiting(broker) if isinstance(broker, ORM) else _redis_waiting(broker)
    except DatabaseError as error:
        logger.warning("Could not read the task queue to find lost messages: %s", error)
        return None
    if payloads is None or len(payloads) > MAX_READ:
        return None
    return _task_ids(payloads, func)


def _orm_waiting(broker: Any) -> list[str]:  # django_q's ORM broker (untyped)
    from django_q.conf import Conf
    from django_q.models import OrmQ

    # a waiting row's lock is in the past; a cluster taking it moves the lock ahead by the retry period
    return list(
        OrmQ.objects.using(Conf.ORM)
        .filter(key=broker.list_key, lock__lte=timezone.now())
        .values_list("payload", flat=True)[: MAX_READ + 1]
    )


def _redis_waiting(broker: object) -> list[bytes] | None:
    from django_q.brokers.redis_broker import Redis  # imports redis: only with the Redis broker
    from redis.exceptions import RedisError

    if not isinstance(broker, Redis):
        return None
    try:
        return broker.connection.lrange(broker.list_key, 0, MAX_READ)
    except RedisError as error:
        logger.warning("Could not read the task queue to find lost messages: %s", error)
        return None


def _task_ids(payloads: Iterable[str | bytes], func: str) -> set[str]:
    from django_q.signing import SignedPackage

    ids: set[str] = set()
    for payload in payloads:
        try:
            message = SignedPackage.loads(payload.decode() if isinstance(payload, bytes) else payload)
        except (
            signing.BadSignature,
            pickle.UnpicklingError,
            ValueError,
            TypeError,
            AttributeError,
            ImportError,
        ):
            continue  # not one of ours (another secret key, or not a django-q2 message)
        if message.get("func") == func and message.get("args"):
            ids.add(str(message["args"][0]))
    return ids
