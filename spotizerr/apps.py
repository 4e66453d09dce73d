from django.apps import AppConfig


class SpotizerrConfig(AppConfig):
    name = "spotizerr"
    verbose_name = "Spotizerr"
