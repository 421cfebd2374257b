from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "karki.audit"
    verbose_name = "Audit trail"

    def ready(self):
        from . import recording

        recording.connect()
