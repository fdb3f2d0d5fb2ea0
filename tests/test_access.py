"""Every URL × every persona, with the status each must get.

The URL list comes from the URL configuration itself, so a new URL without a
decision here fails `test_every_url_has_an_access_decision`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = [
    "anonymous",
    "editor",
    "outsider",
    "viewer",
    "approver",
    "analyst",
    "manager",
    "dfe",
]

# Status codes in PERSONAS order.
SIGN_IN = [200, 302, 302, 302, 302, 302, 302, 302]
PUBLIC = [200] * 8
EVERYONE_REDIRECTED = [302] * 8
LA_HOME = [302, 200, 200, 200, 200, 302, 302, 302]
READ_RETURN = [302, 200, 404, 200, 200, 200, 200, 404]
EDIT_RETURN = [302, 200, 404, 403, 200, 403, 403, 404]
ANALYST_ON_RETURN = [302, 403, 404, 403, 403, 200, 403, 404]
RIA_TEAM = [302, 404, 404, 404, 404, 200, 200, 404]
ANALYST_ONLY = [302, 404, 404, 404, 404, 200, 403, 404]
DATA_SET = [302, 404, 404, 404, 404, 200, 200, 200]
POST_ONLY = [405] * 8
# A published benchmark: every London LA user and the RIA team; not DfE.
BENCHMARK_READERS = [302, 200, 200, 200, 200, 200, 200, 404]
# Camden's own PDF report: Camden's staff and the RIA team.
CAMDEN_REPORT = [302, 200, 404, 200, 200, 200, 200, 404]

# GET, by URL name: what each persona gets for Camden's open return.
GET_EXPECTED = {
    "home": EVERYONE_REDIRECTED,
    "login": SIGN_IN,
    "logout": POST_ONLY,
    "password-reset": PUBLIC,
    "password-reset-done": PUBLIC,
    "password-reset-confirm": PUBLIC,
    "password-reset-complete": PUBLIC,
    "indicators:return-list": LA_HOME,
    "indicators:return-detail": READ_RETURN,
    "indicators:return-group-edit": EDIT_RETURN,
    "indicators:return-check": EDIT_RETURN,
    # The confirmation page sends anyone who may see the return back to it
    # while the return is not submitted.
    "indicators:return-submitted": [302, 302, 404, 302, 302, 302, 302, 404],
    "indicators:return-history": READ_RETURN,
    "indicators:return-spreadsheet": READ_RETURN,
    "indicators:return-upload": EDIT_RETURN,
    "indicators:return-accept": POST_ONLY,
    "indicators:return-query": ANALYST_ON_RETURN,
    "indicators:return-reopen": ANALYST_ON_RETURN,
    "indicators:status-grid": RIA_TEAM,
    "indicators:period-list": RIA_TEAM,
    "indicators:period-edit": ANALYST_ONLY,
    "indicators:extension-grant": ANALYST_ONLY,
    "indicators:dataset": DATA_SET,
    "benchmarking:index": BENCHMARK_READERS,
    "benchmarking:builds": RIA_TEAM,
    "benchmarking:build-detail": RIA_TEAM,
    "benchmarking:build-progress": RIA_TEAM,
    "benchmarking:build-publish": POST_ONLY,
    "benchmarking:build-reports-progress": RIA_TEAM,
    "benchmarking:reports": BENCHMARK_READERS,
    "benchmarking:report-download": CAMDEN_REPORT,
    "benchmarking:report-rebuild": POST_ONLY,
    "benchmarking:rug": BENCHMARK_READERS,
    "benchmarking:published-import": ANALYST_ONLY,
    "benchmarking:authority": BENCHMARK_READERS,
    "benchmarking:flags": RIA_TEAM,
}

# POST with an empty body, for URLs whose POST differs from their GET in who
# may use it. A rejected form is a 200; an action done is a redirect.
POST_EXPECTED = {
    "indicators:return-accept": [302, 403, 404, 403, 403, 302, 403, 404],
    "indicators:return-query": [302, 403, 404, 403, 403, 200, 403, 404],
    "indicators:return-reopen": [302, 403, 404, 403, 403, 200, 403, 404],
    "indicators:return-group-edit": [302, 302, 404, 403, 302, 403, 403, 404],
    "indicators:return-upload": [302, 200, 404, 403, 200, 403, 403, 404],
    "indicators:period-edit": ANALYST_ONLY,
    "indicators:extension-grant": ANALYST_ONLY,
    "benchmarking:builds": [302, 404, 404, 404, 404, 302, 403, 404],
    "benchmarking:build-publish": [302, 404, 404, 404, 404, 302, 403, 404],
    # Queues Camden's report again; the walk has downloaded it by then.
    "benchmarking:report-rebuild": [302, 404, 404, 404, 404, 302, 403, 404],
    # An empty upload is a form with an error, shown to the analyst.
    "benchmarking:published-import": ANALYST_ONLY,
}

# A method no view accepts: every URL must answer 405 to it, signed in or not.
WRONG_METHOD = "delete"


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


def _client(request, persona):
    if persona == "anonymous":
        return request.getfixturevalue("client")
    return request.getfixturevalue(f"{persona}_client")


@pytest.fixture
def published_build(quarter, analyst):
    """A finished, published benchmark of the open quarter."""
    from benchmarking.models import BenchmarkBuild
    from benchmarking.services import benchmark_publish

    build = BenchmarkBuild.objects.create(period=quarter, status="done", progress=100)
    return benchmark_publish(build=build, actor=analyst)


@pytest.fixture
def camden_report(published_build, camden):
    """Camden's report of the published build, made (publishing queued it)."""
    report = published_build.reports.get(kind="la", authority=camden)
    report.status = "done"
    report.pdf = b"%PDF-1.7 test"
    report.page_count = 1
    report.size = len(report.pdf)
    report.save()
    return report


@pytest.fixture
def url_for(camden_return, quarter, published_build, camden_report):
    arguments = {
        "pk": camden_return.pk,
        "source": "cin",
        "slug": quarter.slug,
        "build": published_build.pk,
        "report": camden_report.pk,
        "period": quarter.slug,
        "code": "202",
        "uidb64": "MQ",
        "token": "not-a-token",
    }

    def build(name, converters):
        return reverse(name, kwargs={c: arguments[c] for c in converters})

    return build


def test_every_url_has_an_access_decision():
    names = {name for name, _ in _url_names()}
    assert names - set(GET_EXPECTED) == set(), "Add the new URLs to GET_EXPECTED"
    assert set(GET_EXPECTED) - names == set(), "Remove URLs that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status_on_every_url(request, persona, url_for):
    client = _client(request, persona)
    index = PERSONAS.index(persona)
    failures = []
    for name, converters in _url_names():
        url = url_for(name, converters)
        expected = GET_EXPECTED[name][index]
        status = client.get(url).status_code
        if status != expected:
            failures.append(f"GET {name} ({url}): {status}, expected {expected}")

        if name in POST_EXPECTED:
            expected = POST_EXPECTED[name][index]
            status = client.post(url, {}).status_code
            if status != expected:
                failures.append(f"POST {name} ({url}): {status}, expected {expected}")
    assert failures == []


@pytest.mark.parametrize("persona", ["anonymous", "editor", "analyst"])
def test_every_url_refuses_a_method_it_does_not_take(request, persona, url_for):
    client = _client(request, persona)
    wrong = [
        name
        for name, converters in _url_names()
        if getattr(client, WRONG_METHOD)(url_for(name, converters)).status_code != 405
    ]
    assert wrong == []


def test_anonymous_visitors_are_sent_to_sign_in_with_the_page_to_come_back_to(
    client, camden_return
):
    url = reverse("indicators:return-detail", args=[camden_return.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
