"""Where a change to the curated data goes: the data folder, or the shared database when one is named.

Every writer of curated data (accepting a reviewed draft, retracting a source, the audit entries they
write) calls :func:`change` and gets the same transaction interface for either store (``rows``,
``write_table``, ``append_rows``, ``write_file``; validated whole before it is committed; ``LockTimeout``,
``ChangeRefused`` or ``TransactionError`` when it cannot be)::

    with change(data_dir, seeds_dir, who="a.curator", reason="article of 10 October") as tx:
        tx.append_rows("claims", [new_claim])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.datafolder import LOCK_TIMEOUT, Transaction, TransactionError, transaction
from dashboard.db import DatabaseError, database_url


@contextmanager
def change(
    data_dir: Path,
    seeds_dir: Path | None = None,
    *,
    who: str,
    reason: str = "",
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[], None] | None = None,
) -> Iterator[Transaction]:
    """A change to the curated data wherever it lives: the shared database when
    ``DASHBOARD_DATABASE_URL`` names one (the folders are then not used), else ``data_dir`` and
    ``seeds_dir`` (:func:`dashboard.datafolder.transaction`). Same interface, same errors, for both."""
    try:
        url = database_url()
    except DatabaseError as exc:
        raise TransactionError(f"{exc}; nothing was changed") from exc
    if url is None:
        with transaction(data_dir, seeds_dir, who=who, reason=reason, timeout=timeout, waiting=waiting) as tx:
            yield tx
        return
    from dashboard.db.change import transaction as database_transaction

    with database_transaction(url, who=who, reason=reason, timeout=timeout, waiting=waiting) as tx:
        yield tx
