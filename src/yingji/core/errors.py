"""Domain errors. Services raise these; the web layer turns them into the one error shape:
``{"error": {"code": ..., "message": ..., "details": [...]}}`` for the API and a Chinese page for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ErrorDetail:
    """One problem with the input: the field (or row/line) it concerns and what is wrong."""

    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message}


@dataclass
class DomainError(Exception):
    message: str
    details: list[ErrorDetail] = field(default_factory=list)

    status_code = 400
    code = "bad_request"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "details": [d.as_dict() for d in self.details],
            }
        }


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation_error"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status_code = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    status_code = 401
    code = "unauthenticated"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class TooManyRequests(DomainError):
    status_code = 429
    code = "too_many_requests"
    retry_after_s: int = 0


def invalid(field_name: str, message: str) -> ValidationFailed:
    """Shorthand for a one-field validation error whose message names the field."""
    return ValidationFailed(message=f"{field_name}: {message}", details=[ErrorDetail(field_name, message)])
