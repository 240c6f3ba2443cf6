"""What every Publisher handler shares: the model's scope for a call, request tags, the
service URL content is served under, and the answers of asynchronous and byte operations."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.services.publisher.models.scope import PREFIX, Reviewer, Scope, Tags


def scope(call: Call) -> Scope:
    """The caller's tenancy as the model sees it, with the sandbox's current settings."""
    reviewer = call.settings.get("reviewer") or {}
    return Scope(call.store, call.tenancy, polls=call.settings["work_request_polls"],
                 reviewer=Reviewer(mode=reviewer.get("mode", "auto"),
                                   after_polls=int(reviewer.get("after_polls", 3)),
                                   note=reviewer.get("note")))


def tags(body: Doc) -> Tags:
    """A request body's tags."""
    return Tags(freeform=body.get("freeformTags"), defined=body.get("definedTags"))


def base_url(call: Call) -> str:
    """Where this sandbox serves the service (content URLs start with it)."""
    return call.request.host_url.rstrip("/") + PREFIX


def accepted(wr: Doc) -> Reply:
    """The 202 answer of an asynchronous operation."""
    return Reply(202, None, {"opc-work-request-id": str(wr["id"])})


def content(stored: tuple[bytes, str], etag: object) -> Reply:
    """Uploaded bytes, with their mime type and the owning document's etag."""
    return Reply(200, stored[0], {"etag": str(etag)}, stored[1])
