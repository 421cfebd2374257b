"""Test set-up shared by every app: fast password hashing, the demo data loaded once per run,
and persona fixtures (programme office, measure owner, viewer, outsider)."""

import pytest
from django.conf import settings

DEMO_PASSWORD = "demo-password-for-tests"


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background work runs at once, inside the test; karki/jobs/tests also run the real queue and worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session", autouse=True)
def _quiet_request_log():
    """The line per request (karki.request) would fill every failing test's captured log; tests of it
    raise the level themselves (caplog.at_level)."""
    import logging

    logging.getLogger("karki.request").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo programmes once; every test then runs inside a rolled-back transaction."""
    from karki.demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo(password=DEMO_PASSWORD)


@pytest.fixture(autouse=True)
def _finnish(settings):
    from django.utils import translation

    translation.activate("fi")
    yield
    translation.activate("fi")


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def pmo(db):
    return _user("pmo.ita-uusimaa")


@pytest.fixture
def measure_owner(db):
    return _user("measure-owner.ita-uusimaa")


@pytest.fixture
def finance(db):
    return _user("finance.ita-uusimaa")


@pytest.fixture
def viewer(db):
    return _user("viewer.ita-uusimaa")


@pytest.fixture
def outsider(db):
    """A programme-office user of another county."""
    return _user("pmo.kymenlaakso")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def ita(db):
    from karki.programmes.models import Programme

    return Programme.objects.get(slug="ita-uusimaa-2023-2026")


@pytest.fixture
def kym(db):
    from karki.programmes.models import Programme

    return Programme.objects.get(slug="kymenlaakso-2023-2025")


@pytest.fixture
def draft(ita, pmo):
    """A new draft version 3 of Itä-Uusimaa, copied from the approved version 2."""
    from karki.programmes import services

    return services.start_new_version(programme=ita, by=pmo)


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Each test starts with no kept figures: what a test wrote and rolled back is never read again."""
    from karki.figures import memo

    memo.clear()
    yield
    memo.clear()


@pytest.fixture(autouse=True)
def _fresh_task_backends():
    """django-tasks keeps the backends it built (`task_backends`): a test that switched TASKS (the
    database queue, for example) must not leave its backend to the next test, whose work would then wait
    in the queue instead of running at once. Reset as django_tasks.signals does when TASKS changes."""
    yield
    from asgiref.local import Local
    from django_tasks import task_backends

    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)
    task_backends._connections = Local()
