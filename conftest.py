"""Fixtures shared by every app's tests: one signed-in client per persona.

The personas are those of DESIGN.md section 2, all around Camden (202):
its editor, approver and viewer; Islington's editor as the outsider; and the
RIA team and DfE, who belong to no LA.
"""

import pytest
from django.test import Client

from authorities.models import LocalAuthority, Role, User

PASSWORD = "a-long-test-password"


def make_user(email, role, authority=None, **extra):
    return User.objects.create_user(
        email=email, password=PASSWORD, role=role, authority=authority, **extra
    )


@pytest.fixture
def camden(db):
    return LocalAuthority.objects.get(dfe_code="202")


@pytest.fixture
def islington(db):
    return LocalAuthority.objects.get(dfe_code="206")


@pytest.fixture
def editor(camden):
    return make_user("editor@camden.test", Role.LA_EDITOR, camden, full_name="Ed Itor")


@pytest.fixture
def approver(camden):
    return make_user("approver@camden.test", Role.LA_APPROVER, camden)


@pytest.fixture
def viewer(camden):
    return make_user("viewer@camden.test", Role.LA_VIEWER, camden)


@pytest.fixture
def outsider(islington):
    return make_user("editor@islington.test", Role.LA_EDITOR, islington)


@pytest.fixture
def analyst(db):
    return make_user("analyst@ria.test", Role.ANALYST, full_name="Ana Lyst")


@pytest.fixture
def manager(db):
    return make_user("manager@ria.test", Role.PROGRAMME_MANAGER)


@pytest.fixture
def dfe(db):
    return make_user("reader@dfe.test", Role.DFE_VIEWER)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def approver_client(approver):
    return _client_for(approver)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def analyst_client(analyst):
    return _client_for(analyst)


@pytest.fixture
def manager_client(manager):
    return _client_for(manager)


@pytest.fixture
def dfe_client(dfe):
    return _client_for(dfe)


@pytest.fixture
def quarter(db):
    """An open quarter, 2025-26 Q2, with a "not started" return for every LA."""
    from indicators.periods import PeriodKey
    from indicators.services import period_get_or_create

    return period_get_or_create(PeriodKey(2025, 2))


@pytest.fixture
def camden_return(quarter, camden):
    return quarter.returns.get(authority=camden)
