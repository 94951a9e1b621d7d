import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def _policy_entries(django_db_setup, django_db_blocker):
    """The industry-policy entries the eligibility screening reads, loaded once. A
    transactional test that ran earlier on this worker may have flushed the database, regions
    included (the entries name their regions): then the whole reference data is loaded again,
    which brings the entries too."""
    with django_db_blocker.unblock():
        from bangban.eligibility.models import PolicyEntry
        from bangban.organization.models import Region

        if not Region.objects.exists():
            call_command("load_reference", verbosity=0, stdout=io.StringIO())
        if not PolicyEntry.objects.exists():
            call_command("load_policy", stdout=io.StringIO())
