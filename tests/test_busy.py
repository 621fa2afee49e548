"""A write that gave up waiting for a lock answers 503 "busy, try again" (reviews.middleware.BusyMiddleware):
SQLite's "database is locked" after its busy timeout as well as the audit chain's lock timeout (tested on
PostgreSQL in tests/reviews/test_audit_lock_timeout.py). Any other database error stays an error."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from reviews.audit import AuditBusy
from reviews.middleware import BusyMiddleware


@pytest.mark.parametrize(
    "exception", [OperationalError("database is locked"), AuditBusy("the audit chain is locked")]
)
def test_a_lock_given_up_is_a_503_with_retry_after(exception):
    request = RequestFactory().post("/reviews/1/withdraw/")
    request.LANGUAGE_CODE = "en"

    response = BusyMiddleware(lambda r: None).process_exception(request, exception)

    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Busy: try again in a moment" in response.content.decode()


def test_another_database_error_is_left_to_the_error_page():
    request = RequestFactory().post("/")
    assert (
        BusyMiddleware(lambda r: None).process_exception(request, OperationalError("disk I/O error")) is None
    )
