"""The process runtime: how ``manage.py serve`` runs Spotizerr.

- ``serve.py``: the ``serve`` command (``spotizerr/management/commands/serve.py`` re-exports it):
  migrate, bootstrap, then the web side, the worker cluster and its watchdog.
- ``web_processes.py``: daphne in ``serve``'s own process, or several forked daphne processes on one
  port (``SO_REUSEPORT``), restarted when one dies.
- ``web_handler.py``: Django's ASGI handler running each request on a small fixed thread pool.
- ``fork_safety.py`` and ``dbpool.py``: fork hooks, so a forked process drops its parent's asgiref
  executor and PostgreSQL pools.
- ``watchdog.py``: restarts the worker cluster when it died or hangs.
- ``forked_cluster.py``: the worker cluster forked from ``serve`` (shared pages): django-q2's sentinel
  in the forked process, its pusher a thread.
- ``upkeep.py``: the reaper thread inside every django-q2 worker.

Third-party internals it relies on (not public API; ``tests/runtime/test_third_party_contracts.py``
has one contract test for each, so an upgrade fails there instead of hanging a forked process):

- **asgiref**: ``SyncToAsync.single_thread_executor``, the executor of thread-sensitive work outside a
  request context, replaced after every fork (``fork_safety``).
- **Django's ASGI handler**: ``ASGIHandler.load_middleware(is_async)``, ``handle`` awaiting
  ``get_response_async``, and the sync ``get_response`` (``web_handler``).
- **Django's PostgreSQL backend**: the class-level ``DatabaseWrapper._connection_pools`` (``dbpool``).
- **django-q2's cluster**: the ``post_spawn`` signal each worker sends with ``proc_name`` (``upkeep``),
  and ``Stat.get``/``Stat.get_all`` with ``sentinel``, ``host`` and ``status`` compared with
  ``Conf.STOPPING`` (``spotizerr.lib.cluster``, read by the pipeline between tracks); ``Sentinel``'s
  ``start=False`` and ``start()``, its ``spawn_pusher`` and the guard, stop and ``Stat`` reading the
  pusher through ``is_alive()`` and ``pid`` (``forked_cluster``).
- **daphne and Twisted**: ``daphne.server.Server``'s ``endpoints``, ``ready_callable`` and
  ``http_factory``, the reactor's ``adoptStreamPort``, and re-installing ``asyncioreactor`` in a
  forked child (``web_processes``).
"""
