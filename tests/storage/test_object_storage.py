"""Files in an S3-compatible object store (vendors/storage.py), against a real server on loopback: an upload
lands in the bucket and not on this host's disk, a download streams from the bucket with the same headers as
from the local disk, a file on record is never deleted, no file has a URL, and the health check probes the
bucket."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reviews.models import Evidence
from tests.builders import start_review
from tests.factories import pdf_bytes, pdf_upload
from vendors.files import bytes_upload, store_upload
from vendors.storage import StoredFileKept, private_storage

pytestmark = pytest.mark.django_db

DOWNLOAD_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Content-Disposition",
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "Cache-Control",
)


def upload_evidence(client, requester, review, *, text="licence") -> Evidence:
    client.force_login(requester)
    url = reverse("questionnaire_section", args=[review.pk, "A"])
    response = client.post(url, {"q_A2": "yes", "f_A2": [pdf_upload("营业执照.pdf", text=text)], "save": "1"})
    assert response.status_code == 302
    return Evidence.objects.get(review=review)


def download(client, evidence):
    response = client.get(reverse("evidence_download", args=[evidence.review_id, evidence.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_an_upload_lands_in_the_bucket_and_not_on_this_hosts_disk(
    client, requester, object_storage, settings
):
    s3, bucket, _storage = object_storage

    evidence = upload_evidence(client, requester, start_review(requester))

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == [evidence.file.name] and evidence.file.name.startswith("evidence/")
    body = s3.get_object(Bucket=bucket, Key=evidence.file.name)["Body"].read()
    assert body == pdf_bytes("licence") and len(body) == evidence.size
    assert not settings.PRIVATE_MEDIA_ROOT.exists()


def test_a_download_streams_from_the_bucket_with_the_headers_of_the_local_disk(
    client, requester, settings, tmp_path, request
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "local"
    on_disk = upload_evidence(client, requester, start_review(requester))
    local_response, local_body = download(client, on_disk)

    request.getfixturevalue("object_storage")
    in_bucket = upload_evidence(client, requester, start_review(requester))
    response, body = download(client, in_bucket)

    assert response.streaming  # sent in chunks as read from the bucket, not assembled first
    assert body == local_body == pdf_bytes("licence")
    assert {h: response[h] for h in DOWNLOAD_HEADERS} == {h: local_response[h] for h in DOWNLOAD_HEADERS}
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Length"] == str(len(body))


def test_a_file_missing_from_the_bucket_is_a_404(client, requester, object_storage):
    s3, bucket, _storage = object_storage
    evidence = upload_evidence(client, requester, start_review(requester))
    s3.delete_object(Bucket=bucket, Key=evidence.file.name)  # lost outside the site

    response = client.get(reverse("evidence_download", args=[evidence.review_id, evidence.pk]))

    assert response.status_code == 404


def test_a_file_on_record_is_never_deleted_and_an_orphan_may_be(client, requester, object_storage):
    s3, bucket, storage = object_storage
    evidence = upload_evidence(client, requester, start_review(requester))

    with pytest.raises(StoredFileKept, match=r"reviews\.Evidence"):
        private_storage().delete(evidence.file.name)

    assert s3.head_object(Bucket=bucket, Key=evidence.file.name)["ContentLength"] == evidence.size
    orphan = store_upload(bytes_upload(pdf_bytes("never recorded"), "orphan.pdf"), folder="evidence")
    storage.delete(orphan.name)
    assert not storage.exists(orphan.name)


def test_no_file_has_a_url_and_objects_get_no_acl_of_their_own(object_storage):
    s3, bucket, storage = object_storage
    name = storage.save("evidence/probe.pdf", ContentFile(pdf_bytes("probe")))

    with pytest.raises(NotImplementedError):
        storage.url(name)
    grants = s3.get_object_acl(Bucket=bucket, Key=name)["Grants"]
    assert all(grant["Grantee"].get("URI", "").endswith("AllUsers") is False for grant in grants)


def test_the_health_check_probes_the_bucket(client, object_storage, settings):
    s3, bucket, _storage = object_storage

    healthy = client.get("/health/?format=json")

    assert healthy.json()["checks"]["storage"] == "ok"
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0  # the probe cleaned up after itself
    settings.STORAGES["private"]["OPTIONS"] = {
        **settings.STORAGES["private"]["OPTIONS"],
        "bucket_name": "gone",
    }
    from django.core.files.storage import storages

    storages._storages.clear()
    failing = client.get("/health/?format=json")
    assert failing.status_code == 500 and failing.json()["checks"]["storage"] == "failing"
