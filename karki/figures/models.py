from django.db import models


class Stamp(models.Model):
    """The mark of the last committed change in a scope (a programme, an organisation, people): figures
    computed from that scope are kept under its token and computed again once the token changes."""

    scope = models.CharField(max_length=64, unique=True)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"
