"""A report returned for correction reaches the person who submitted it, by e-mail in their language."""

from django.contrib.auth import get_user_model
from django.core import mail

from karki.monitoring import services
from karki.monitoring.models import Period, StatusReport


def test_returned_report__its_author_is_mailed_the_comment_and_the_link(django_capture_on_commit_callbacks, ita):
    pmo = get_user_model().objects.get(username="pmo.ita-uusimaa")
    period = Period.objects.filter(programme=ita, status="open").order_by("-year", "-month").first()
    report = StatusReport.objects.filter(period=period, state="submitted", submitted_by__isnull=False) \
        .exclude(submitted_by__email="").first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_report(report, by=pmo, accept=False, comment="Lisää toteutuneet säästöt.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [report.submitted_by.email]
    assert report.measure_code in message.subject
    assert "Lisää toteutuneet säästöt." in message.body
    assert f"/programmes/{ita.slug}/periods/{period.key}/report/" in message.body


def test_accepted_report__nobody_is_mailed(django_capture_on_commit_callbacks, ita):
    pmo = get_user_model().objects.get(username="pmo.ita-uusimaa")
    report = StatusReport.objects.filter(period__programme=ita, state="submitted").first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_report(report, by=pmo, accept=True)
    assert mail.outbox == []
