from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "karki.demo"
    label = "demo"
    verbose_name = "Demo data"
