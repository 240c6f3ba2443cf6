"""Moving a listing, artifact or term to another compartment: a work request whose
completion changes ``compartmentId``."""

from __future__ import annotations

from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import touch
from ocmp.sandbox.services.publisher.models import work_requests
from ocmp.sandbox.services.publisher.models.scope import PREFIX, Scope


def start_move(scope: Scope, kind: str, entity: str, path: str, doc: Doc, target: str, *,
               operation: str, hold: bool = True) -> Doc:
    """Start CHANGE_<X>_COMPARTMENT of ``doc`` (a ``kind`` document served at ``path``) to
    compartment ``target``; with ``hold`` the document waits on the work request."""
    wr = work_requests.start(
        scope.store, scope.tenancy, operation=operation, compartment_id=target, finish="move",
        args={"kind": kind, "id": doc["id"], "compartmentId": target},
        resources=[work_requests.wr_resource(entity, "UPDATED", doc["id"],
                                             f"{PREFIX}/{path}/{doc['id']}")],
        polls=scope.polls)
    if hold:
        doc["_wr"] = wr["id"]
        scope.put(kind, doc)
    return wr


@work_requests.completer("move")
def _move(store: Store, tenancy: str, wr: Doc) -> list[str]:
    args = wr["_args"]
    doc = store.get(tenancy, args["kind"], args["id"])
    if doc is None:
        return [f"{args['kind']} {args['id']} no longer exists"]
    doc["compartmentId"] = args["compartmentId"]
    doc.pop("_wr", None)
    store.put(tenancy, args["kind"], touch(doc))
    return []
