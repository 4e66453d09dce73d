"""What a forked process must not inherit from its parent, besides database pools (``dbpool``).

asgiref runs thread-sensitive work (Django's ``request_started`` signal, among others) on one
executor thread. A process forked after that executor had started its thread inherits an executor
that counts the thread but has none, so it never runs what it is given and every request of a
forked web process hangs. Every fork (``serve``'s web processes, django-q2's workers, the tests'
daphne) gets a new one.
"""

from __future__ import annotations

import os

_installed = False


def forget_inherited_executor() -> None:
    """In a freshly forked child: a new, not yet started executor for asgiref's thread-sensitive work."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync

    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


def install() -> None:
    """Register the fork hook once."""
    global _installed
    if not _installed:
        os.register_at_fork(after_in_child=forget_inherited_executor)
        _installed = True
