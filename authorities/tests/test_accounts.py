"""Signing in, locking out, resetting a password and the shape of accounts."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from authorities.models import LocalAuthority, Role, User
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_reference_data_has_the_33_london_authorities_and_both_cluster_sets():
    assert LocalAuthority.objects.count() == 33
    camden = LocalAuthority.objects.get(dfe_code="202")
    assert (camden.ons_code, camden.inner_outer) == ("E09000007", "inner")
    assert LocalAuthority.objects.get(dfe_code="309").inner_outer == "inner"
    clusters = {(c.cluster_set.slug, c.name) for c in camden.clusters.all()}
    assert clusters == {
        ("health-footprints", "North Central"),
        ("four-sub-regions", "North Central"),
    }
    croydon = LocalAuthority.objects.get(dfe_code="306")
    assert {c.name for c in croydon.clusters.all()} == {"South West", "South"}


def test_an_editor_signs_in_with_their_email_in_any_case(client, editor):
    response = sign_in(client, "EDITOR@Camden.test", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("indicators:return-list")


def test_a_wrong_password_says_so_and_keeps_the_email(client, editor):
    response = sign_in(client, "editor@camden.test", "wrong-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct e-mail address and password" in page
    assert 'value="editor@camden.test"' in page


def test_five_failed_sign_ins_lock_the_account(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor@camden.test", "wrong-password")
    response = sign_in(client, "editor@camden.test", PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(client, editor):
    response = client.post(reverse("password-reset"), {"email": "editor@camden.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body)[1]

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "correct horse battery staple"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(new_password)


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client):
    response = client.post(reverse("password-reset"), {"email": "nobody@x.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_sessions_end_after_two_hours_without_a_request():
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sign_out_is_a_post_that_ends_the_session(editor_client):
    response = editor_client.post(reverse("logout"))
    assert response.status_code == 302
    assert editor_client.get(reverse("home")).status_code == 302
    assert editor_client.get(reverse("home")).url.startswith(reverse("login"))


def test_la_roles_need_an_authority_and_others_must_not_have_one(camden):
    with pytest.raises(IntegrityError):
        User.objects.create_user("a@x.test", PASSWORD, role=Role.LA_EDITOR)


def test_ria_roles_cannot_belong_to_an_authority(camden):
    with pytest.raises(IntegrityError):
        User.objects.create_user(
            "b@x.test", PASSWORD, role=Role.ANALYST, authority=camden
        )


@pytest.mark.parametrize(
    ("persona", "destination"),
    [
        ("viewer", "indicators:return-list"),
        ("analyst", "indicators:status-grid"),
        ("manager", "indicators:status-grid"),
        ("dfe", "indicators:dataset"),
    ],
)
def test_home_sends_each_role_to_its_starting_page(request, persona, destination):
    client = request.getfixturevalue(f"{persona}_client")
    assert client.get(reverse("home")).url == reverse(destination)
