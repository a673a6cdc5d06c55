"""The ledger: top-ups, idempotent debits, refunds, balance — and exactly one debit across processes."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from interview_tui import bootstrap
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.errors import InvalidInput
from interview_tui.service import SessionService
from interview_tui.store.db import Store
from interview_tui.store.ledger import Ledger
from tests.doubles import MakeService


def test_balance_is_the_sum_of_rows(store: Store) -> None:
    ledger = Ledger(store)
    assert ledger.balance() == 0
    ledger.top_up(40, 1.0, "first")
    ledger.top_up(5, 2.0)
    ledger.adjust(-3, 3.0, "correction")
    assert ledger.balance() == 42
    assert [r.kind for r in ledger.history()] == ["adjust", "topup", "topup"]
    assert [r.amount for r in ledger.history(limit=2)] == [-3, 5]


def test_debit_is_idempotent_per_session(store: Store) -> None:
    ledger = Ledger(store)
    ledger.top_up(30, 1.0)
    first, created = ledger.debit("s1", 15, 2.0)
    again, created_again = ledger.debit("s1", 15, 3.0)
    assert created and not created_again
    assert again == first
    assert ledger.balance() == 15
    assert sum(1 for r in ledger.history() if r.kind == "debit") == 1


def test_database_refuses_a_second_debit_row(store: Store) -> None:
    """The unique index is the real guard, not only the Python check."""
    import sqlite3

    Ledger(store).debit("s1", 15, 1.0)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO credits_log (amount, kind, session_id, created_at) VALUES (-15, 'debit', "
                           "'s1', 2.0)")


def test_refund_once_and_only_after_a_debit(store: Store) -> None:
    ledger = Ledger(store)
    ledger.top_up(15, 1.0)
    with pytest.raises(InvalidInput, match="never charged"):
        ledger.refund("s1", 2.0)
    ledger.debit("s1", 15, 2.0)
    row, created = ledger.refund("s1", 3.0, "audio failed")
    _, created_again = ledger.refund("s1", 4.0)
    assert created and not created_again
    assert row.amount == 15
    assert ledger.balance() == 15


@pytest.mark.parametrize("amount", [0, -5])
def test_top_up_must_be_positive(store: Store, amount: int) -> None:
    with pytest.raises(InvalidInput):
        Ledger(store).top_up(amount, 1.0)


def test_service_caps_absurd_top_ups(service: SessionService) -> None:
    with pytest.raises(InvalidInput, match="limited"):
        service.top_up(10**9)
    assert service.balance() == 0


def _charge_worker(db_path: str, session_id: str, start: float, barrier: mp.synchronize.Barrier, out: mp.Queue) -> None:
    store = Store.open(db_path)
    svc = bootstrap.make_service(store, clock=FakeClock(start + 130))  # a process of its own: no fixtures
    barrier.wait()
    out.put(svc.ensure_charge(session_id))
    store.close()


def test_concurrent_processes_charge_exactly_once(db_path: Path, make_service: MakeService, clock: FakeClock,
                                                  sample_jd: str) -> None:
    store = Store.open(db_path)
    svc = make_service(store)
    svc.top_up(100)
    record = svc.create(sample_jd)
    svc.run_setup(record.id)
    svc.start_active(record.id, voice="test")

    ctx = mp.get_context("spawn")
    n = 6
    barrier = ctx.Barrier(n)
    out = ctx.Queue()
    procs = [ctx.Process(target=_charge_worker, args=(str(db_path), record.id, clock.now(), barrier, out))
             for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    results = [out.get(timeout=5) for _ in range(n)]
    assert results == [True] * n
    debits = [r for r in svc.ledger_history() if r.kind == "debit"]
    assert len(debits) == 1 and debits[0].amount == -15
    assert svc.balance() == 85
    assert svc.get(record.id).charged
    store.close()
