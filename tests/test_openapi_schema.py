"""The API schema itself: every operation documents its errors, and no two shapes share a component name."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from pydantic import BaseModel

import haumai
from haumai.api import api


def test_every_operation_documents_its_errors_in_the_one_format() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert "ErrorOut" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = {int(status) for status in operation["responses"]}
            assert {400, 404, 422} <= statuses, (method, path)
            if operation.get("security"):
                assert {401, 403} <= statuses, (method, path)
            if method != "get":
                assert 409 in statuses, (method, path)
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorOut"
                    }


def test_no_two_api_shapes_share_a_name() -> None:
    """Ninja names a schema component after its class: a second class of the same name replaces the first."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for module_info in pkgutil.iter_modules(haumai.__path__):
        if not module_info.ispkg:
            continue
        for leaf in ("api", "schemas"):
            try:
                module = importlib.import_module(f"haumai.{module_info.name}.{leaf}")
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                    by_name[value.__name__].add(f"{value.__module__}.{value.__qualname__}")
    shared = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert not shared, shared
