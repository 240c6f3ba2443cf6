"""Sandbox state: JSON documents in SQLite (a file that survives restarts, or in memory).

Every document belongs to a tenancy and a kind, so tenancies never see each other's
resources. Writes happen inside :meth:`Store.transaction`, which holds a process lock and,
for a state file, SQLite's write lock (``BEGIN IMMEDIATE``), so several sandbox processes
sharing one file never lose each other's writes.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Doc = dict[str, Any]

GLOBAL = "_global"
"""Tenancy value for documents that belong to no tenancy (keys, settings)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    tenancy TEXT NOT NULL,
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    parent  TEXT,
    seq     INTEGER NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (tenancy, kind, id)
);
CREATE INDEX IF NOT EXISTS docs_parent ON docs (tenancy, kind, parent);
CREATE INDEX IF NOT EXISTS docs_seq ON docs (seq);
"""


class Store:
    """A document store over one SQLite connection.

    Args:
        path: SQLite file to keep state in; ``None`` keeps it in memory.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        target = str(path) if path is not None else ":memory:"
        # One connection shared by the server's threads; the lock below serialises use.
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 30000")
        if path is not None:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run a block atomically; roll back if it raises."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    def get(self, tenancy: str, kind: str, ident: str) -> Doc | None:
        """One document, or ``None``."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM docs WHERE tenancy=? AND kind=? AND id=?", (tenancy, kind, ident)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, tenancy: str, kind: str, doc: Doc, *, ident: str | None = None,
            parent: str | None = None) -> Doc:
        """Insert or replace a document (keeping its original position in listings)."""
        key = ident if ident is not None else str(doc["id"])
        body = json.dumps(doc, separators=(",", ":"), sort_keys=True)
        with self._lock:
            self._db.execute(
                "INSERT INTO docs (tenancy, kind, id, parent, seq, body) VALUES (?, ?, ?, ?, "
                "(SELECT COALESCE(MAX(seq), 0) + 1 FROM docs), ?) "
                "ON CONFLICT (tenancy, kind, id) DO UPDATE SET body=excluded.body, "
                "parent=COALESCE(excluded.parent, docs.parent)",
                (tenancy, kind, key, parent, body),
            )
        return doc

    def delete(self, tenancy: str, kind: str, ident: str) -> None:
        """Remove a document if present."""
        with self._lock:
            self._db.execute(
                "DELETE FROM docs WHERE tenancy=? AND kind=? AND id=?", (tenancy, kind, ident)
            )

    def list(self, tenancy: str, kind: str, *, parent: str | None = None,
             where: dict[str, str | None] | None = None) -> builtins.list[Doc]:
        """All documents of a kind (optionally under one parent), oldest first.

        ``where`` keeps documents whose top-level fields equal the given values (``None``
        values are ignored); SQLite compares them, so no other document is decoded.
        """
        sql = "SELECT body FROM docs WHERE tenancy=? AND kind=?"
        args: builtins.list[str] = [tenancy, kind]
        if parent is not None:
            sql += " AND parent=?"
            args.append(parent)
        for name, value in (where or {}).items():
            if value is not None:
                sql += " AND json_extract(body, ?) = ?"
                args += [f'$."{name}"', value]
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def tenancies(self) -> builtins.list[str]:
        """Every tenancy that owns at least one document."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT tenancy FROM docs WHERE tenancy != ?", (GLOBAL,)
            ).fetchall()
        return [str(row[0]) for row in rows]

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of documents per tenancy and kind (for ``GET /_sandbox/state``)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT tenancy, kind, COUNT(*) FROM docs GROUP BY tenancy, kind"
            ).fetchall()
        out: dict[str, dict[str, int]] = {}
        for tenancy, kind, count in rows:
            out.setdefault(str(tenancy), {})[str(kind)] = int(count)
        return out

    def clear(self) -> None:
        """Drop every document except registered keys (a reset keeps clients working)."""
        with self.transaction():
            self._db.execute("DELETE FROM docs WHERE NOT (tenancy=? AND kind='key')", (GLOBAL,))

    def close(self) -> None:
        """Close the connection (state on disk is already committed)."""
        with self._lock:
            self._db.close()
