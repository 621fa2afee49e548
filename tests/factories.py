"""factory_boy factories and builders that walk a review through the workflow the way users do."""

import io
import zipfile
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vendors.models import Vendor, VendorCategory

PASSWORD = "correct horse battery staple"
HUAWEI_USCC = "914403001922038216"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


def make_user(username: str, *groups: str, granted_days_ago: int = 30, **extra):
    """A user with roles. The grants are dated `granted_days_ago` (the persona has held the role a while), so
    that the waiting period of a new role (VETTED_ROLE_GRANT_WAIT_HOURS) holds back only tests about it."""
    from reviews.models import RoleGrant

    user = UserFactory(username=username, **extra)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    RoleGrant.objects.filter(user=user).update(granted_at=timezone.now() - timedelta(days=granted_days_ago))
    return user


def uscc_with_check(prefix17: str) -> str:
    from vendors.uscc import check_character

    return prefix17 + check_character(prefix17)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name_zh = factory.Sequence(lambda n: f"上海数智营销科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Shanghai Data Marketing Tech {n}")
    uscc = factory.Sequence(lambda n: uscc_with_check(f"91310000{n:09d}"))
    category = VendorCategory.SCRM_SAAS
    website = "https://vendor.example.com"
    services = "SCRM 会员运营平台"


def pdf_bytes(text: str = "evidence") -> bytes:
    body = f"%PDF-1.4\n% {text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return body.encode()


def pdf_upload(name: str = "evidence.pdf", text: str = "evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def cert_fields(**overrides) -> dict:
    today = timezone.localdate()
    fields = {
        "kind": "iso27001",
        "edition": "iso27001_2022",
        "number": "ISMS-2024-0815",
        "issuer": "中国质量认证中心 CQC",
        "scope": "SCRM SaaS 平台的设计、开发与运维",
        # Well inside the three-year cycle (vendors.cert_rules), so the printed expiry is what counts.
        "issued_on": today - timedelta(days=100),
        "expires_on": today + timedelta(days=500),
    }
    fields.update(overrides)
    return fields
