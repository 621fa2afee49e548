import pytest

from tests.factories import make_user


@pytest.fixture
def executive(db):
    """The CMO-level reader of the portfolio (group Executive, 管理层)."""
    return make_user("cmo-exec", "Executive")
