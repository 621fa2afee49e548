"""Saving an inventory (vendors/inventory/services.py): nothing before confirmation, nothing from a refused
file, the same state when a file is imported twice, and never a vendor's identity or status."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from reviews.audit_sentences import audit_sentence
from reviews.models import AuditEvent
from tests.factories import HUAWEI_USCC, VendorFactory, make_user
from tests.vendors.helpers import CleanAdmission, approved_vendor
from tests.vendors.inventory_files import code, csv_bytes, many_rows, row, xlsx_bytes
from vendors.inventory.reading import InventoryRefused
from vendors.inventory.services import inventory_confirm, inventory_upload
from vendors.models import InventoryImport, Vendor, VendorStatus
from vendors.selectors import approved_vendors
from vendors.services import VendorError, vendor_admit

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "inventory.csv"):
    return SimpleUploadedFile(name, data)


def stored_files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def import_file(data: bytes, actor, name: str = "inventory.csv") -> InventoryImport:
    record, _preview = inventory_upload(upload=upload(data, name), actor=actor)
    return inventory_confirm(inventory_import=record, actor=actor)


def state() -> list:
    return list(
        Vendor.objects.order_by("uscc").values_list(
            "uscc",
            "name_zh",
            "status",
            "business_owner",
            "personal_data",
            "individuals",
            "in_use_since",
            "contract_ends",
            "connected_systems",
        )
    )


def test_nothing_is_saved_before_confirmation(legal, requester, settings):
    record, preview = inventory_upload(upload=upload(csv_bytes([row(1), row(2)])), actor=legal)

    assert len(preview.rows) == 2
    assert not Vendor.objects.exists()
    assert record.confirmed_at is None and len(stored_files(settings)) == 1


def test_confirmation_adds_new_vendors_as_in_use_and_never_approved(legal, requester):
    record = import_file(xlsx_bytes([row(1), row(2)]), legal, "inventory.xlsx")

    assert (record.created_count, record.updated_count) == (2, 0)
    vendor = Vendor.objects.get(uscc=code(1))
    assert vendor.status == VendorStatus.IN_USE
    assert vendor.business_owner == requester
    assert not approved_vendors().exists()  # I1


def test_a_mixed_file_saves_only_its_good_rows(legal, requester):
    record = import_file(csv_bytes([row(1), row(2, owner="nobody"), row(3, since="yesterday")]), legal)

    assert list(Vendor.objects.values_list("uscc", flat=True)) == [code(1)]
    assert (record.created_count, record.error_rows) == (1, 2)


@pytest.mark.parametrize(
    "data",
    [csv_bytes([]), b"\x80\xff" * 50, "名称\n甲\n".encode("gb18030")],
    ids=["no-rows", "unknown-encoding", "no-columns"],
)
def test_nothing_is_saved_from_a_refused_file(legal, settings, data):
    with pytest.raises(InventoryRefused):
        inventory_upload(upload=upload(data), actor=legal)

    assert not Vendor.objects.exists()
    assert not InventoryImport.objects.exists()
    assert stored_files(settings) == []
    assert not AuditEvent.objects.filter(action="inventory.imported").exists()


def test_importing_the_same_file_twice_leaves_the_same_state(legal, requester):
    data = csv_bytes([row(1), row(2), row(3)], encoding="utf-8-sig")
    import_file(data, legal)
    after_first = state()

    _record, preview = inventory_upload(upload=upload(data), actor=legal)
    second = import_file(data, legal)

    assert [r.action for r in preview.rows] == ["unchanged"] * 3
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert state() == after_first


def test_a_changed_row_updates_only_the_inventory_fields(legal, requester):
    import_file(csv_bytes([row(1)]), legal)

    import_file(csv_bytes([row(1, name="改了名字的公司", ends="2028-12-31", systems="CDP")]), legal)

    vendor = Vendor.objects.get(uscc=code(1))
    assert vendor.name_zh == "上海云触达营销科技有限公司1"
    assert (str(vendor.contract_ends), vendor.connected_systems) == ("2028-12-31", "CDP")


def test_an_approved_vendor_is_left_as_vetted(legal, requester):
    """Its identity, its status, and what the register records of it (owner, data, dates): an approved vendor's
    record is corrected by hand, one audited change at a time, never by a file."""
    vendor = approved_vendor(actor=legal, uscc=HUAWEI_USCC, name_zh="华为技术有限公司")
    before = state()

    record, preview = inventory_upload(
        upload=upload(csv_bytes([row(1, uscc=HUAWEI_USCC, name="别的名字", category="其他")])), actor=legal
    )
    record = inventory_confirm(inventory_import=record, actor=legal)

    assert state() == before
    assert any("Approved" in warning for warning in preview.rows[0].warnings)
    assert (record.updated_count, record.unchanged_count) == (0, 1)
    assert approved_vendors().filter(pk=vendor.pk).exists()
    assert not AuditEvent.objects.filter(action="vendor.updated").exists()


def test_a_file_whose_every_row_has_an_error_saves_nothing(legal, requester):
    record, _preview = inventory_upload(upload=upload(csv_bytes([row(1, owner="nobody")])), actor=legal)

    with pytest.raises(VendorError, match="No row"):
        inventory_confirm(inventory_import=record, actor=legal)
    assert not Vendor.objects.exists()


def test_a_file_is_confirmed_once(legal, requester):
    record, _preview = inventory_upload(upload=upload(csv_bytes([row(1)])), actor=legal)
    inventory_confirm(inventory_import=record, actor=legal)

    with pytest.raises(VendorError, match="already imported"):
        inventory_confirm(inventory_import=record, actor=legal)


def test_a_stored_file_changed_after_the_preview_is_not_imported(legal, requester):
    record, _preview = inventory_upload(upload=upload(csv_bytes([row(1)])), actor=legal)
    with record.file.open("wb") as handle:
        handle.write(csv_bytes([row(1), row(2)]))

    with pytest.raises(VendorError, match="no longer matches"):
        inventory_confirm(inventory_import=record, actor=legal)
    assert not Vendor.objects.exists()


def test_every_confirmed_import_is_audited(legal, requester):
    VendorFactory(uscc=code(2))

    record = import_file(csv_bytes([row(1), row(2)]), legal)

    event = AuditEvent.objects.get(action="inventory.imported")
    assert event.actor == legal and event.object_id == str(record.pk)
    assert (event.data["created"], event.data["updated"]) == ([code(1)], [code(2)])
    assert event.data["sha256"] == record.sha256


def test_a_file_of_5000_rows_imports_in_full(legal, requester):
    record = import_file(csv_bytes(many_rows(5000)), legal)

    assert record.created_count == 5000
    assert Vendor.objects.filter(status=VendorStatus.IN_USE).count() == 5000


def test_a_vendor_added_meanwhile_refuses_the_confirmation_and_saves_nothing(legal, requester, monkeypatch):
    """Between reading the stored file and saving, a request may register one of its credit codes."""
    record, _preview = inventory_upload(upload=upload(csv_bytes([row(1), row(2)])), actor=legal)
    VendorFactory(uscc=code(2))
    monkeypatch.setattr("vendors.inventory.reading._existing", lambda codes: {})  # read before it was added

    with pytest.raises(VendorError, match="meanwhile"):
        inventory_confirm(inventory_import=record, actor=legal)

    assert list(Vendor.objects.values_list("uscc", flat=True)) == [code(2)]
    record.refresh_from_db()
    assert record.confirmed_at is None


def test_each_change_to_a_vendor_in_the_register_is_audited_with_old_and_new_values(legal, requester):
    make_user("cmo2", "Requester")
    import_file(csv_bytes([row(1)]), legal)
    vendor = Vendor.objects.get()

    record = import_file(
        csv_bytes([row(1, owner="cmo2", ends="2028-12-31", systems="CDP")]), legal, name="inventory-2.csv"
    )

    [event] = AuditEvent.objects.filter(action="vendor.updated", vendor=vendor)
    assert event.actor == legal
    assert event.data["changes"] == {
        "business_owner": ["cmo", "cmo2"],
        "contract_ends": ["2027-03-31", "2028-12-31"],
        "connected_systems": ["会员中心, 小程序商城", "CDP"],
    }
    assert event.data["inventory_import"] == {"id": record.pk, "file": "inventory-2.csv"}
    with translation.override("en"):
        sentence = audit_sentence(event)
    assert "by importing the inventory inventory-2.csv" in sentence and "cmo → cmo2" in sentence
    assert AuditEvent.objects.get(action="inventory.imported", object_id=str(record.pk)).data["updated"] == [
        vendor.uscc
    ]


def test_a_vendor_approved_between_the_preview_and_the_confirmation_is_left_as_vetted(legal, requester):
    import_file(csv_bytes([row(1)]), legal)
    vendor = Vendor.objects.get()
    record, preview = inventory_upload(upload=upload(csv_bytes([row(1, ends="2030-01-01")])), actor=legal)
    assert preview.rows[0].action == "update"
    vendor_admit(
        vendor=vendor,
        admission=CleanAdmission(vendor.pk),
        valid_until=timezone.localdate() + timedelta(days=30),
        reference="VD-TEST-1",
        risk_tier="low",
        actor=legal,
    )

    record = inventory_confirm(inventory_import=record, actor=legal)

    vendor.refresh_from_db()
    assert str(vendor.contract_ends) == "2027-03-31"
    assert (record.updated_count, record.unchanged_count) == (0, 1)
