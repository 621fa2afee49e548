"""What an own channel's register entry must carry, by kind (docs/domain.md "Own channels").

A website and a WeChat mini program need an ICP filing (互联网信息服务备案) before they serve users in China
(Measures for the Administration of Internet Information Services Art. 4; MIIT notice of 2023 on app and
mini-program filing); an app is found by its store identifiers. Pure functions and validators, no queries.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The provinces' one-character abbreviations an ICP filing number starts with.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# 京ICP备12345678号, 粤ICP备2023123456号-1, and for an app or mini program 沪ICP备2023012345号-5X.
ICP_FILING = re.compile(rf"^[{PROVINCES}]ICP备\d{{8,10}}号(-\d{{1,3}}[A-Z]?)?$")
# An App Store identifier (id1234567890) or an Android package name (com.brand.app).
APP_STORE_ID = re.compile(r"^(id\d{6,12}|[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+)$")


def normalize_icp(raw: str) -> str:
    text = "".join((raw or "").split())
    return text.replace("－", "-").replace("icp", "ICP")


def validate_icp_filing(value: str) -> None:
    if value and not ICP_FILING.match(normalize_icp(value)):
        raise ValidationError(
            _(
                "“%(value)s” is not an ICP filing number. It reads like 京ICP备12345678号, with -1 for a "
                "site or -5X for an app or mini program when the filing has several."
            ),
            code="icp",
            params={"value": value},
        )


def app_store_ids(raw: str) -> list[str]:
    """The identifiers of a text, one a line or separated by commas, each checked."""
    items = [item.strip() for item in re.split(r"[\n,，;；]", raw or "") if item.strip()]
    bad = [item for item in items if not APP_STORE_ID.match(item)]
    if bad:
        raise ValidationError(
            _(
                "Not an app store identifier: %(items)s. Give the App Store ID (id1234567890) or the Android "
                "package name (com.brand.app), one a line."
            ),
            code="app_store_id",
            params={"items": "、".join(bad)},
        )
    return items


def validate_app_store_ids(value: str) -> None:
    app_store_ids(value)
