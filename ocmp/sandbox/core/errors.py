"""OCI's error envelope: ``{"code": ..., "message": ...}`` with the HTTP status OCI uses."""

from __future__ import annotations


class ApiError(Exception):
    """An error the sandbox answers in OCI's wire format.

    Args:
        status: HTTP status code.
        code: OCI error code (``NotAuthorizedOrNotFound``, ``IncorrectState``...).
        message: Human-readable explanation.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, str]:
        """The JSON body OCI sends."""
        return {"code": self.code, "message": self.message}


def not_found(kind: str, ident: str) -> ApiError:
    """404 for an unknown (or foreign) id in the path."""
    return ApiError(
        404,
        "NotAuthorizedOrNotFound",
        f"Authorization failed or requested resource not found: {kind} {ident}",
    )


def incorrect_state(message: str) -> ApiError:
    """409 for an operation the resource's current state forbids (the SDK retries it)."""
    return ApiError(409, "IncorrectState", message)


def conflict(message: str) -> ApiError:
    """409 for a conflict that waiting will not resolve."""
    return ApiError(409, "Conflict", message)


def invalid(message: str) -> ApiError:
    """400 for a bad field or parameter."""
    return ApiError(400, "InvalidParameter", message)


def missing(name: str) -> ApiError:
    """400 for a missing required field or parameter."""
    return ApiError(400, "MissingParameter", f"Missing required parameter: {name}")


def related_not_found(kind: str, ident: str) -> ApiError:
    """400 for a body that references an unknown resource."""
    return ApiError(
        400,
        "RelatedResourceNotAuthorizedOrNotFound",
        f"The referenced {kind} {ident} was not found or is not authorized",
    )


def not_authenticated(message: str) -> ApiError:
    """401 for any signature problem."""
    return ApiError(401, "NotAuthenticated", message)
