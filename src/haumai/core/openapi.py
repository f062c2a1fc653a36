"""What a request field accepts, said in the API schema (`Field(json_schema_extra=...)`).

These only document: the services keep validating and answer 422 with their own field messages. The schema
states a safe subset, so a client (or schemathesis) that follows it is never refused for the shape of a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Strict

# A Vietnamese mobile number, local or +84 form. The API also accepts other valid numbers (any format, any
# country); this is what the schema promises is always accepted.
PHONE_PATTERN = r"^(\+84|0)(3[2-9]|5[689]|7[06-9]|8[1-8]|9[0-8])[0-9]{7}$"
OPTIONAL_PHONE_PATTERN = r"^$|" + PHONE_PATTERN
EMAIL_PATTERN = r"^[a-z0-9]([a-z0-9._-]{0,30}[a-z0-9])?@[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z]{2,6}){1,2}$"
OPTIONAL_EMAIL_PATTERN = r"^$|" + EMAIL_PATTERN


def phone(*, optional: bool = False) -> dict[str, Any]:
    """A phone number field: `0912345678` or `+84912345678` (other valid formats are accepted too)."""
    return {
        "pattern": OPTIONAL_PHONE_PATTERN if optional else PHONE_PATTERN,
        "examples": ["0912345678"],
        "description": "phone number (Vietnamese mobile, local or +84; other valid formats accepted)",
    }


def email(*, optional: bool = False) -> dict[str, Any]:
    """An e-mail field."""
    return {"pattern": OPTIONAL_EMAIL_PATTERN if optional else EMAIL_PATTERN, "description": "e-mail address"}


def one_of(values: Iterable[Any], *, blank: bool = False, null: bool = False) -> dict[str, Any]:
    """A field that takes one of these values ('' when blank means "none"/"any", null when nullable)."""
    allowed: list[Any] = [v for v in values if v != ""]
    if blank:
        allowed.append("")
    if null:
        allowed.append(None)
    return {"enum": allowed}


def token(description: str) -> dict[str, Any]:
    """An opaque value the API gave before (a cursor): URL-safe base64."""
    return {"pattern": r"^[A-Za-z0-9_-]*$", "description": description}


def between(low: int, high: int | None = None) -> dict[str, Any]:
    """A whole number from `low` to `high` (inclusive)."""
    return {"minimum": low} if high is None else {"minimum": low, "maximum": high}


# A text that must hold something besides spaces.
NOT_BLANK: dict[str, Any] = {"pattern": r"\S"}
# An IMEI as the catalog accepts it: 14 to 16 digits (spaces around are trimmed), or empty for none.
IMEI: dict[str, Any] = {"pattern": r"^\s*([0-9]{14,16})?\s*$"}


def also_required(*names: str) -> Any:
    """A model `json_schema_extra` that lists these optional fields as required in the schema (a safe subset)."""

    def extend(schema: dict[str, Any]) -> None:
        schema["required"] = [*schema.get("required", []), *(n for n in names if n not in schema.get("required", []))]

    return extend


def _in_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value  # the services refuse a naive time with their own field message
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError("the time is out of range once converted to UTC") from exc


# A date-time from a client, moved to UTC: PostgreSQL refuses offsets past +/-15:59 (Python allows +/-23:59), and a
# time at the edge of year 1 or 9999 may not exist in UTC. Naive times pass through for the services to refuse.
ClientDateTime = Annotated[dt.datetime, AfterValidator(_in_utc)]


# A JSON body's yes/no field: only true or false (pydantic would otherwise take "yes", "on", "1", 1 and 0).
StrictBoolean = Annotated[bool, Strict()]


def _query_boolean(value: object) -> object:
    # A query string only carries text: "true" or "false" (any case), the words the schema's boolean promises.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError("use true or false")


# A query parameter's yes/no: "true" or "false" only (not "yes", "on", "1").
QueryBoolean = Annotated[bool, BeforeValidator(_query_boolean)]
