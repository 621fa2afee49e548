"""Audit checkpoints in a shared object store (reviews/audit_checkpoints.py, VETTED_CHECKPOINT_STORE=objects),
against a real S3-compatible server: one object per checkpoint named by its number, read back in order by
verify_audit from any host; a gap, a missing or a shortened sequence, or an edited object, is a failure; a
number is never written twice."""

import json

import pytest
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from reviews import audit_checkpoints
from reviews.audit import audit_record, audit_verify
from reviews.audit_checkpoints import CheckpointTaken, audit_checkpoint, object_name

pytestmark = pytest.mark.django_db(transaction=True)  # every checkpoint committed, as on the real site


@pytest.fixture
def objects(object_storage, settings, requester):
    settings.VETTED_CHECKPOINT_STORE = "objects"
    s3, bucket, _storage = object_storage
    for reason in ("one", "two", "three"):
        audit_record(action="test.event", actor=requester, data={"before": reason})
        audit_checkpoint(reason=reason)
    return s3, bucket


def keys(s3, bucket) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_one_object_per_checkpoint_named_by_its_number_and_verified_in_order(objects, settings, tmp_path):
    s3, bucket = objects

    assert keys(s3, bucket) == [object_name(1), object_name(2), object_name(3)]
    assert object_name(3) == "audit-checkpoints/000000000003.json"
    stored = [json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read()) for key in keys(s3, bucket)]
    assert [(c["number"], c["reason"]) for c in stored] == [(1, "one"), (2, "two"), (3, "three")]
    assert stored[1]["prev"] == stored[0]["mac"] and stored[2]["prev"] == stored[1]["mac"]
    assert not (tmp_path / "private-unused").exists()  # nothing on this host's disk
    # Another host: a storage of its own on the same bucket, nothing shared but the store.
    storages._storages.clear()
    report = audit_verify()
    assert report.ok, report.reason
    call_command("verify_audit")


def test_the_hourly_checkpoint_of_an_idle_log_writes_nothing(objects):
    s3, bucket = objects

    assert audit_checkpoint(reason="hourly", only_if_grown=True) is None
    assert len(keys(s3, bucket)) == 3


def test_a_gap_in_the_sequence_fails(objects):
    s3, bucket = objects
    s3.delete_object(Bucket=bucket, Key=object_name(2))

    report = audit_verify()

    assert not report.ok
    assert "checkpoint 2 is missing from the store" in report.reason and "(the next is 3)" in report.reason


def test_a_shortened_sequence_fails(objects):
    s3, bucket = objects
    s3.delete_object(Bucket=bucket, Key=object_name(3))

    report = audit_verify()

    assert (report.ok, report.kind) == (False, "anchor")
    assert "holds 2 checkpoints, though the log announced checkpoint 3" in report.reason
    with pytest.raises(CommandError, match="cut back"):
        call_command("verify_audit")


def test_a_missing_store_fails(objects):
    s3, bucket = objects
    for key in keys(s3, bucket):
        s3.delete_object(Bucket=bucket, Key=key)

    report = audit_verify()

    assert not report.ok and "is missing, though the log announced checkpoint 3" in report.reason


def test_an_edited_checkpoint_fails(objects):
    s3, bucket = objects
    body = s3.get_object(Bucket=bucket, Key=object_name(2))["Body"].read().decode()
    s3.put_object(Bucket=bucket, Key=object_name(2), Body=body.replace('"two"', '"deux"').encode())

    report = audit_verify()

    assert not report.ok and "audit-checkpoints/000000000002.json was edited" in report.reason


def test_a_number_already_in_the_store_is_never_written_again(objects, monkeypatch, requester):
    s3, bucket = objects
    before = s3.get_object(Bucket=bucket, Key=object_name(3))["Body"].read()
    # A host that read the store before checkpoint 3 was written would take 3 again.
    monkeypatch.setattr(audit_checkpoints, "_object_numbers", lambda storage: [1, 2])
    audit_record(action="test.event", actor=requester, data={"late": True})

    with pytest.raises(CheckpointTaken):
        audit_checkpoint(reason="late")

    assert s3.get_object(Bucket=bucket, Key=object_name(3))["Body"].read() == before
    assert keys(s3, bucket) == [object_name(1), object_name(2), object_name(3)]
