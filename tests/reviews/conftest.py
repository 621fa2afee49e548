"""The vendor contact, the persona without an account: a link the requester created for an open review."""

import pytest

from tests import builders


@pytest.fixture
def invited(requester):
    """A fresh open review of `requester` with a link for its vendor's contact: (link, token)."""
    return builders.invite_contact(builders.start_review(requester), requester)


@pytest.fixture
def link(invited):
    return invited[0]


@pytest.fixture
def token(invited):
    return invited[1]
