"""The private storage in a bucket of a real S3-compatible server on loopback (tests/s3_server.py): the one
`.ci/run` started (VETTED_TEST_S3_ENDPOINT), or one started here for the test run. When none can start the
tests are skipped locally and fail under CI (VETTED_REQUIRE_SERVICES=1), like the other service tests."""

import os

import pytest
from django.core.files.storage import storages

from tests import s3_server

REQUIRE_SERVICES = os.environ.get("VETTED_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def s3_endpoint():
    endpoint = s3_server.configured_endpoint()
    if endpoint:
        if not s3_server.answers(endpoint):
            message = f"the S3 server named by VETTED_TEST_S3_ENDPOINT ({endpoint}) does not answer"
            pytest.fail(message) if REQUIRE_SERVICES else pytest.skip(message)
        yield endpoint
        return
    try:
        process, endpoint = s3_server.start()
    except (RuntimeError, OSError) as error:
        message = f"cannot start an S3-compatible server (moto[server]): {error}"
        pytest.fail(message) if REQUIRE_SERVICES else pytest.skip(message)
    yield endpoint
    process.terminate()
    process.wait(timeout=30)


def private_file_fields():
    from django.apps import apps
    from django.db import models

    from vendors.storage import _is_private

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and _is_private(field):
                yield field


@pytest.fixture
def object_storage(s3_endpoint, settings, monkeypatch, tmp_path):
    """Every file of the site in a fresh bucket; the local directory (empty) shows nothing lands on disk."""
    bucket = s3_server.new_bucket(s3_endpoint)
    fields = list(private_file_fields())
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-unused"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "vendors.storage.PrivateObjectStorage",
            "OPTIONS": {
                "endpoint_url": s3_endpoint,
                "bucket_name": bucket,
                "region_name": s3_server.REGION,
                "access_key": s3_server.ACCESS_KEY,
                "secret_key": s3_server.SECRET_KEY,
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    storage = storages["private"]
    # A file field binds its storage when its model loads: point the private ones at the bucket.
    for field in fields:
        monkeypatch.setattr(field, "storage", storage)
    return s3_server.client(s3_endpoint), bucket, storage
