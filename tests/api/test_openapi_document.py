"""The OpenAPI document tells the truth: how to authenticate, what each
operation answers (its 200 body and its errors in the envelope), and the
shapes the contract fixes; /docs works without internet access."""
from __future__ import annotations

import json
import re

import pytest

from scormapi.auth.permissions import Permission


@pytest.fixture(scope="module")
def document(app) -> dict:
    return app.openapi()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def resolve(document, schema: dict) -> dict:
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref")
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_both_ways_of_sending_a_token_are_declared(document):
    schemes = document["components"]["securitySchemes"]
    assert {name: {k: v for k, v in s.items() if k != "description"} for name, s in schemes.items()} == {
        "access_token": {"type": "apiKey", "in": "query", "name": "access_token"},
        "bearer": {"type": "http", "scheme": "bearer"},
    }
    assert document["security"] == [{"access_token": []}, {"bearer": []}]
    public = {label for label, op in operations(document) if op.get("security") == []}
    assert public == {"POST /api/v1/AdminApi/Authenticate", "GET /api/v1/ScormRuntime/DataModel"}


def test_every_operation_documents_its_200_body_and_its_errors_in_the_envelope(document):
    for label, operation in operations(document):
        responses = operation["responses"]
        if label == "POST /api/v1/ScormApi/ExportCmiData":
            # A streamed file, not an envelope; its errors still are.
            assert set(responses["200"]["content"]) == {"text/csv", "application/x-ndjson"}
            responses = {k: v for k, v in responses.items() if k != "200"}
            for response in responses.values():
                assert "api_error_entity" in resolve(document, response["content"]["application/json"]["schema"])["properties"]
            continue
        success = responses["200"]["content"]["application/json"]["schema"]
        assert success.get("$ref") or success.get("items", {}).get("$ref"), label
        assert "api_error_entity" in resolve(document, success)["properties"], label
        for status, response in responses.items():
            if status == "200":
                continue
            schema = resolve(document, response["content"]["application/json"]["schema"])
            assert "api_error_entity" in schema["properties"], (label, status)
        if label not in ("GET /api/v1/ScormRuntime/DataModel",):
            assert {"403"} <= set(responses), label


def test_nothing_documents_fastapis_own_error_shape(document):
    text = json.dumps(document)
    assert "HTTPValidationError" not in text and '"detail"' not in text


def test_get_cmi_data_items_are_the_contracts_shape(document):
    ok = document["paths"]["/api/v1/ScormApi/GetCmiData"]["post"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["type"] == "array"
    item = resolve(document, ok["content"]["application/json"]["schema"])
    assert list(item["properties"]) == ["title", "sco_id", "start_date_utc", "exit_date_utc", "cmi_fields", "api_error_entity"]
    field = resolve(document, item["properties"]["cmi_fields"])
    assert list(field["properties"]) == ["cmi_element_name", "cmi_element_value", "error_message"]
    assert set(ok["headers"]) == {"X-Total-Count", "X-Per-Page", "X-Page"}


def test_permission_names_are_an_enum(document):
    body = document["components"]["schemas"]["GrantBody"]
    permission = resolve(document, body["properties"]["permission"])
    assert permission["enum"] == [p.value for p in Permission]


def test_no_free_form_object_lacks_an_example(document):
    """Swagger UI fills a free-form object with "additionalProp1": each one
    the document has carries an example instead."""

    def walk(node, where):
        if isinstance(node, dict):
            extra = node.get("additionalProperties")
            if node.get("type") == "object" and extra not in (None, False):
                assert "example" in node or "examples" in node, where
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(document, "")


def test_request_bodies_refuse_unknown_fields(document):
    for name, schema in document["components"]["schemas"].items():
        if name.endswith("Body"):
            assert schema.get("additionalProperties") is False, name


def test_docs_and_their_assets_are_served_here(http):
    page = http.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:href|src)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/docs/assets/") for a in assets), assets
    assert not re.search(r"https?://", page.text)
    for asset in assets:
        r = http.get(asset)
        assert r.status_code == 200 and len(r.content) > 1000, asset
