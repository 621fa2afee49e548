"""The OpenAPI schema validates, and the docs page runs from local files under a script-src 'self' policy."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/vendors/{uscc}/" in text and "/api/v1/use-check/" in text and "bearer" in text
    assert "/api/v1/activities/{reference}/" in text


def test_schema_is_served(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/v1/vendors/",
        "/api/v1/vendors/{uscc}/",
        "/api/v1/use-check/",
        "/api/v1/activities/{reference}/",
        "/api/v1/channels/",
        "/api/v1/channels/{reference}/",
    }
    for path in ("/api/v1/vendors/{uscc}/", "/api/v1/use-check/"):
        assert {"200", "400", "401", "403", "404", "429"} <= set(schema["paths"][path]["get"]["responses"])
    assert {"200", "401", "403", "404", "429"} <= set(
        schema["paths"]["/api/v1/activities/{reference}/"]["get"]["responses"]
    )


def _served_schema(client) -> dict:
    return client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _parameters(schema, path) -> dict:
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_the_use_check_documents_each_parameter_with_the_values_the_server_accepts(client):
    from api.params import USE_CHECK_PARAMETERS

    parameters = _parameters(_served_schema(client), "/api/v1/use-check/")
    assert set(parameters) == {p.name for p in USE_CHECK_PARAMETERS}
    for accepted in USE_CHECK_PARAMETERS:
        documented = parameters[accepted.name]
        assert documented.get("required", False) == accepted.required, accepted.name
        schema = documented["schema"]
        if accepted.name == "uscc":
            assert schema["pattern"] and schema["minLength"] == 18
        elif accepted.name == "cross_border":
            assert schema["type"] == "boolean"
        elif accepted.many:
            assert schema["type"] == "array" and documented["explode"] is True
            assert sorted(schema["items"]["enum"]) == sorted(accepted.values)
        else:
            assert sorted(schema["enum"]) == sorted(accepted.values), accepted.name
    assert "purchased" in parameters["audience"]["schema"]["enum"]


# Codes the server reads (vendors.uscc.check_uscc) and codes it refuses, to hold the documented pattern to it.
USCC_SAMPLES = [
    "914403001922038216",
    "914403001922038217",
    "9144 0300 1922 0382 16",
    "914403001922038216 ",
    " 91440300192203821a",
    "91440300192203821",
    "9144030019220382160",
    "91440300192203821I",
    "91440300192203821o",
    "91AB0300192203821X",
    "914403001922038-16",
    "",
    "                  ",
]


@pytest.mark.parametrize("code", USCC_SAMPLES)
def test_the_documented_credit_code_pattern_accepts_what_the_server_accepts(client, code):
    from django.core.exceptions import ValidationError

    from vendors.uscc import check_uscc

    pattern = _parameters(_served_schema(client), "/api/v1/use-check/")["uscc"]["schema"]["pattern"]
    try:
        check_uscc(code)
        accepted = True
    except ValidationError:
        accepted = False
    assert bool(re.search(pattern, code)) == accepted


def test_the_documented_reference_pattern_is_the_one_the_server_checks(client):
    from api.activity import reference_is_wellformed

    parameter = _parameters(_served_schema(client), "/api/v1/activities/{reference}/")["reference"]
    schema = parameter["schema"]
    for reference in (
        "ACT-2026-00042",
        "ACT-2026-123456",
        "ACT-26-00042",
        "act-2026-00042",
        "ACT-2026-0042",
        "ACT-2026-" + "1" * 11,
        "ACT-2026-" + "1" * 12,
    ):
        documented = bool(re.search(schema["pattern"], reference)) and len(reference) <= schema["maxLength"]
        assert documented == reference_is_wellformed(reference), reference


def test_each_answer_example_carries_every_field_of_its_answer(client):
    schema = _served_schema(client)
    components = schema["components"]["schemas"]
    for path in ("/api/v1/use-check/", "/api/v1/activities/{reference}/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        fields = set(components[content["schema"]["$ref"].rsplit("/", 1)[1]]["properties"])
        assert content["examples"]
        for example in content["examples"].values():
            assert set(example["value"]) == fields, path


def test_the_answers_name_their_enums(client):
    components = _served_schema(client)["components"]["schemas"]
    assert "lapsed" in components["UseStatusEnum"]["enum"]
    assert set(components["OutcomeEnum"]["enum"]) == {"go", "conditions", "needs_legal", "no_go"}
    assert "awaiting_ack" in components["ActivityStatusEnum"]["enum"]


def test_docs_page_loads_only_local_scripts_and_no_inline_code(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html and "style=" not in html
    assert "cdn" not in html.lower() and "https://" not in html
    for src in re.findall(r'src="/static/([^"?]+)"', html):
        assert finders.find(src), src


def test_docs_start_up_script_is_its_own_file(client):
    response = client.get(reverse("api:docs"), {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in response.content.decode()
