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


@pytest.fixture(autouse=True)
def _test_logins_complete_the_second_factor(monkeypatch):
    """``client.force_login(user)`` and ``client.login(...)`` stand for a completed login; for
    the roles that need TOTP (admin, supervisor, leader, superusers) that includes the second
    factor, so their session is marked verified here. Only the test client is patched: the
    application's rule stays whole, and tests/accounts drives the real login form and TOTP
    pages (docs/login.md)."""
    from django.test.client import ClientMixin

    from bangban.accounts.policy import SECOND_FACTOR_SESSION_KEY

    original = ClientMixin._login  # both login() and force_login() end here

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SECOND_FACTOR_SESSION_KEY] = user.pk
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(autouse=True)
def _api_throttling_out_of_the_way(settings):
    """The throttles count in the per-process cache across tests; the suite makes far more
    anonymous calls a minute than the production rate allows. tests/accounts sets small
    rates where it tests the throttling itself."""
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {
        **rest,
        "DEFAULT_THROTTLE_RATES": {
            **rest["DEFAULT_THROTTLE_RATES"],
            "anon": "1000000/min",
            "user": "1000000/min",
        },
    }


@pytest.fixture(autouse=True)
def _stored_files_in_a_temporary_folder(settings, tmp_path_factory):
    """Files the suite stores (uploads, scans, results) go to a temporary folder, never into
    the developer's data folder (BANGBAN_DATA_DIR/media); tests that look at the stored
    files set their own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
