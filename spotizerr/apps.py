from django.apps import AppConfig


class SpotizerrConfig(AppConfig):
    name = "spotizerr"
    verbose_name = "Spotizerr"

    def ready(self) -> None:
        from django_q.signals import post_spawn

        from spotizerr.runtime import dbpool, fork_safety
        from spotizerr.runtime.upkeep import on_worker_spawned

        dbpool.install()  # forked queue workers must not share the parent's pooled connections
        fork_safety.install()  # nor any forked process its parent's asgiref executor

        post_spawn.connect(
            on_worker_spawned, dispatch_uid="spotizerr-worker-upkeep"
        )  # reaper thread per worker
