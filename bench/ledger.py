"""Ledger: ensure-charge throughput and correctness with 8 processes on 1,000 sessions; balance and history on a
100,000-row ledger.

Run: .venv/bin/python bench/ledger.py [--procs 8] [--sessions 1000] [--rows 100000] [--topups 2000]
Targets: exactly one debit per session; balance and history ≤ 50 ms on 100,000 rows.
Baseline: the same charging work done by one process; `SELECT 1` for the queries.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import time
from pathlib import Path

from _util import median, table

from interview_tui.bootstrap import make_service
from interview_tui.domain.clock import FakeClock
from interview_tui.store.db import Store

START = 1_780_000_000.0


def seed(db: Path, sessions: int) -> list[str]:
    """Sessions that have been live 130 s and are not yet charged. They are inserted as `complete` (terminal),
    because the schema allows only one unfinished session and this measures the charging path alone."""
    store = Store.open(db)
    ids = [f"bench{i:06d}" for i in range(sessions)]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO interview_sessions (id, status, jd_text, jd_sha256, started_at, charged, created_at, "
            "updated_at) VALUES (?, 'complete', 'jd', 'h', ?, 0, ?, ?)",
            [(sid, START, START, START) for sid in ids])
        conn.execute("INSERT INTO credits_log (amount, kind, created_at) VALUES (?, 'topup', ?)",
                     (sessions * 15, START))
    store.close()
    return ids


def worker(db: str, ids: list[str], offset: int, barrier: mp.synchronize.Barrier, out: mp.Queue) -> None:
    store = Store.open(db)
    svc = make_service(store, clock=FakeClock(START + 130))
    order = ids[offset:] + ids[:offset]  # every process visits every session, starting at a different place
    barrier.wait()
    t0 = time.perf_counter()
    for sid in order:
        svc.ensure_charge(sid)
    out.put((len(order), time.perf_counter() - t0))
    store.close()


def run_charging(procs: int, sessions: int) -> tuple[float, int, float]:
    db = Path(tempfile.mkdtemp(prefix="bench-ledger-")) / "bench.db"
    ids = seed(db, sessions)
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(procs), ctx.Queue()
    ps = [ctx.Process(target=worker, args=(str(db), ids, i * sessions // procs, barrier, out)) for i in range(procs)]
    t0 = time.perf_counter()
    for p in ps:
        p.start()
    results = [out.get(timeout=300) for _ in ps]
    for p in ps:
        p.join()
    wall = max(r[1] for r in results)
    calls = sum(r[0] for r in results)
    del t0
    store = Store.open(db)
    debits = store.conn.execute("SELECT COUNT(*) FROM credits_log WHERE kind = 'debit'").fetchone()[0]
    balance = store.conn.execute("SELECT SUM(amount) FROM credits_log").fetchone()[0]
    store.close()
    assert balance == 0, balance
    return calls / wall, debits, wall


def run_queries(rows: int, repeats: int = 20) -> dict[str, list[float]]:
    db = Path(tempfile.mkdtemp(prefix="bench-ledger-rows-")) / "rows.db"
    store = Store.open(db)
    with store.transaction() as conn:
        conn.executemany("INSERT INTO credits_log (amount, kind, note, created_at) VALUES (?, 'topup', 'x', ?)",
                         ((1, START + i) for i in range(rows)))
    svc = make_service(store)
    timings: dict[str, list[float]] = {"SELECT 1 (baseline)": [], "balance": [], "history --limit 50": [],
                                       "history (all rows)": []}
    for _ in range(repeats):
        for name, fn in (("SELECT 1 (baseline)", lambda: store.conn.execute("SELECT 1").fetchone()),
                         ("balance", svc.balance), ("history --limit 50", lambda: svc.ledger_history(50)),
                         ("history (all rows)", svc.ledger_history)):
            t0 = time.perf_counter()
            fn()
            timings[name].append((time.perf_counter() - t0) * 1000)
    assert svc.balance() == rows
    store.close()
    return timings


def run_topups(count: int) -> dict[str, float]:
    """Top-ups per second, each its own transaction with a payment ref: synchronous=NORMAL (the baseline: the same
    statements, committed as before) against synchronous=FULL (what `Ledger.top_up_once` commits with)."""
    from interview_tui.store.ledger import Ledger

    rates = {}
    for label in ("synchronous=NORMAL (baseline)", "synchronous=FULL (top_up_once)"):
        db = Path(tempfile.mkdtemp(prefix="bench-ledger-sync-")) / "sync.db"
        store = Store.open(db)
        ledger = Ledger(store)
        t0 = time.perf_counter()
        for i in range(count):
            if label.startswith("synchronous=FULL"):
                ledger.top_up_once(1, START + i, None, f"ref-{i}")
            else:
                with store.transaction() as conn:
                    if ledger.find_ref(conn, f"ref-{i}") is None:
                        ledger._insert(conn, 1, "topup", None, None, START + i, f"ref-{i}")
        rates[label] = count / (time.perf_counter() - t0)
        assert ledger.balance() == count
        store.close()
    return rates


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--procs", type=int, default=8)
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--topups", type=int, default=2_000)
    args = ap.parse_args()

    rates = run_topups(args.topups)
    base_rate_sync = rates["synchronous=NORMAL (baseline)"]
    table(f"{args.topups:,} top-ups with a ref, one transaction each", [
        (label, f"{rate:,.0f}", f"{1000 / rate:.3f}", f"{rate / base_rate_sync:.2f}x") for label, rate in rates.items()
    ], ("commit mode", "top-ups/s", "ms each", "vs baseline"))

    base_rate, base_debits, base_wall = run_charging(1, args.sessions)
    rate, debits, wall = run_charging(args.procs, args.sessions)
    table("ensure-charge", [
        ("1 process (baseline)", f"{args.sessions}", f"{base_debits}", f"{base_wall:.2f}", f"{base_rate:,.0f}",
         "1.00x"),
        (f"{args.procs} processes", f"{args.sessions * args.procs}", f"{debits}", f"{wall:.2f}", f"{rate:,.0f}",
         f"{rate / base_rate:.2f}x"),
    ], ("run", "calls", "debits", "wall s", "calls/s", "vs baseline"))
    verdict = "OK" if debits == args.sessions else "WRONG"
    print(f"exactly one debit per session: {verdict} ({debits}/{args.sessions})")

    timings = run_queries(args.rows)
    base = median(timings["SELECT 1 (baseline)"])
    table(f"queries on a {args.rows:,}-row ledger (ms, median of 20)",
          [(k, f"{median(v):.3f}", f"{max(v):.3f}", f"{median(v) / base:,.0f}x") for k, v in timings.items()],
          ("query", "median", "max", "vs SELECT 1"))
    worst = max(median(timings["balance"]), median(timings["history --limit 50"]))
    print(f"balance/history (paged) ≤ 50 ms: {'OK' if worst <= 50 else 'MISSED'} ({worst:.2f} ms)")


if __name__ == "__main__":
    main()
