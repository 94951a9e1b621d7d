import itertools

import pytest

from bangban.accounts.models import Role, User
from bangban.organization.models import Department, Region
from tests.projects.factories import EnterpriseFactory, ProjectFactory


@pytest.fixture
def dongsheng(db):
    return Region.objects.get(key="150602")


@pytest.fixture
def make_project(dongsheng):
    def make(name, industry_code, description=""):
        enterprise = EnterpriseFactory(region=dongsheng)
        return ProjectFactory(
            name=name, industry_code=industry_code, description=description, enterprise=enterprise
        )

    return make


@pytest.fixture
def make_user(dongsheng):
    numbers = itertools.count(1)

    def make(role, department_key=None, region=None, username=None):
        department = Department.objects.get(key=department_key) if department_key else None
        return User.objects.create(
            username=username or f"{role}-{next(numbers)}",
            role=role,
            region=region or (department.region if department else dongsheng),
            department=department,
        )

    return make


@pytest.fixture
def agent(make_user):
    return make_user(Role.AGENT, "dongsheng-bbdb")


@pytest.fixture
def development_officer(make_user):
    """An approval officer of 东胜区发展和改革委员会."""
    return make_user(Role.DEPT_OFFICER, "dongsheng-fgw")
