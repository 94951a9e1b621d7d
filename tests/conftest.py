import io
from pathlib import Path

import pytest
from django.core.management import call_command

TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data (regions, departments, routing, catalog) once per test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def reference_data(db):
    """Reference data for tests that run after a transactional test flushed the database."""
    from bangban.catalog.selectors import catalog_version_published

    if catalog_version_published() is None:
        call_command("load_reference", stdout=io.StringIO())


@pytest.fixture
def test_output() -> Path:
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness only slows the suite down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the callbacks a service registers with transaction.on_commit (notifications)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
