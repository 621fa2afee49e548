"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django would refuse ORM calls made there;
the live server runs in its own thread and tests only touch the database between browser steps, hence
DJANGO_ALLOW_ASYNC_UNSAFE. Live-server tests run with transaction=True; the flush that ends each one is
handled by tests/conftest.py, and the `base_data` fixture checks the reference data is there."""

import os
import re
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _database_sessions_of_the_live_server_closed(stray_sessions_closed):
    """See tests/conftest.py: the live server's request threads may outlive the session's last test."""


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API keeps an event loop running in the test thread for
    as long as it is started; closing it at the end of each module stops that loop, so that the tests of the
    next module in the same worker (--dist loadfile) run without one, as they would in a server."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test (no cookies carried over), in English unless the test switches."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="en", extra_http_headers={"Accept-Language": "en"}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def base_data(django_db_blocker):
    """The groups and questionnaire v1 that migrations create (tests/conftest.py restores them after each
    transactional test's flush)."""
    from django.contrib.auth.models import Group

    from reviews.models import QuestionnaireTemplate
    from tests.conftest import restore_reference_data

    with django_db_blocker.unblock():
        restore_reference_data()
        assert Group.objects.filter(name__in=["Requester", "Legal", "Security", "Auditor"]).count() == 4
        assert QuestionnaireTemplate.objects.filter(is_active=True).exists()


def login(page, base_url: str, username: str, password: str | None = None) -> None:
    """Sign in through the real login form and wait for the page after it."""
    from tests.factories import PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


def shoot(page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/e2e/<name>.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
