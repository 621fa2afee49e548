import pytest
from django.core import mail


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run `action` as a committed transaction would: (its result, who was mailed, as sorted addresses)."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, sorted(address for message in mail.outbox for address in message.to)

    return run
