from django.apps import AppConfig


class SpotizerrConfig(AppConfig):
    name = "spotizerr"
    verbose_name = "Spotizerr"

    def ready(self) -> None:
        from spotizerr import schema  # noqa: F401  (registers the OpenAPI auth extension)
