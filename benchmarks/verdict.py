"""The table every benchmark prints, and its verdict as the exit code.

A benchmark adds rows as it measures: ``check`` for what must hold (every ballot stored,
every reply delivered; judged in every run, ``--smoke`` included), ``target`` for a figure
with a performance target (judged in full runs; in ``--smoke`` runs, whose sizes are too small
to mean anything, shown as not judged), ``info`` for figures without a target. ``finish``
prints the table, whatever happened, and returns 0 only if nothing judged failed.

Scripts import this module by name: ``python benchmarks/bench_x.py`` puts ``benchmarks/`` first
on ``sys.path``.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    measure: str
    value: str
    target: str
    verdict: str
    failed: bool


class Table:
    """Rows of measures with their targets and verdicts."""

    def __init__(self, title: str, *, smoke: bool) -> None:
        self.title = title
        self.smoke = smoke
        self.rows: list[Row] = []

    def info(self, measure: str, value: str) -> None:
        self.rows.append(Row(measure, value, "", "", failed=False))

    def check(self, measure: str, value: str, expected: str, ok: bool) -> None:
        """Something that must hold (a count that must match): judged in every run."""
        self.rows.append(Row(measure, value, expected, "ok" if ok else "FAILED", not ok))

    def target(self, measure: str, value: str, target: str, ok: bool) -> None:
        """A performance figure against its target: judged unless this is a smoke run."""
        if self.smoke:
            self.rows.append(Row(measure, value, target, "not judged (smoke)", failed=False))
        else:
            self.rows.append(Row(measure, value, target, "met" if ok else "MISSED", not ok))

    def crashed(self, error: BaseException) -> None:
        """The benchmark stopped with an exception: a failed row (the traceback goes first)."""
        traceback.print_exception(error)
        self.rows.append(
            Row("completed", f"{type(error).__name__}: {error}", "no error", "FAILED", True)
        )

    def finish(self) -> int:
        """Print the table; the exit code: 0 if nothing judged failed or missed, else 1."""
        widths = [
            max([len(header), *(len(getattr(r, field)) for r in self.rows)])
            for header, field in (("measure", "measure"), ("value", "value"), ("target", "target"))
        ]
        print(f"\n{self.title}{' (smoke run: sizes too small for targets)' if self.smoke else ''}")
        header = ("measure", "value", "target", "verdict")
        print("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 0], strict=True)).rstrip())
        for row in self.rows:
            cells = (row.measure, row.value, row.target, row.verdict)
            print("  ".join(c.ljust(w) for c, w in zip(cells, [*widths, 0], strict=True)).rstrip())
        failed = [r.measure for r in self.rows if r.failed]
        print(f"result: {'FAILED (' + ', '.join(failed) + ')' if failed else 'all passed'}")
        return 1 if failed else 0


class ErrorLog(logging.Handler):
    """Counts the errors the bot logs (a failed delivery, a crashed handler) while installed.

    Only logger names and levels are kept, never messages: they could carry request content.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.errors: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.errors[record.name] += 1

    def __enter__(self) -> ErrorLog:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger().removeHandler(self)

    def shown(self) -> str:
        return ", ".join(f"{n} from {name}" for name, n in self.errors.items()) or "0"
