import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def _policy_entries(django_db_setup, django_db_blocker):
    """The industry-policy entries the eligibility screening reads, loaded once."""
    with django_db_blocker.unblock():
        from bangban.eligibility.models import PolicyEntry

        if not PolicyEntry.objects.exists():
            call_command("load_policy", stdout=io.StringIO())
