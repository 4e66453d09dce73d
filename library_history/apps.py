from django.apps import AppConfig


class LibraryHistoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "library_history"
