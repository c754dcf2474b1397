"""A count made publishable: charts as PNG, one self-contained HTML page, RCTab summary JSON.

Shared by ``hustings count --chart/--sankey/--html/--summary`` and (later) ``/election
export``. Inputs are a counting ``Result`` and a title; outputs are bytes or text, so the
caller decides where they go. matplotlib is reached only through ``charts`` when a chart is
drawn.

The summary follows the shape RCTab writes and RCVis reads (RCTab's ``summary.json``):
``{"config": {...}, "results": [{"round": n, "tally": {name: "votes"}, "threshold": "q",
"tallyResults": [{"eliminated"|"elected": name, "transfers": {dest: "votes"}}]}]}`` with
every number an exact decimal string from ``format_number`` (``"n/d"`` when it does not
terminate). ``tallyResults`` of round n carries what left the candidates decided in round n.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.adapters.render import count_words
from bot.count_table import render_result
from counting.result import EXHAUSTED, Result, format_number
from counting.rules_words import describe


def summary(result: Result, title: str | None) -> dict[str, Any]:
    """The RCTab/RCVis round summary of ``result``."""
    rounds: list[dict[str, Any]] = []
    for round_ in result.rounds:
        tally = {name: format_number(v) for name, v in round_.tally.items()}
        outcomes: list[dict[str, Any]] = []
        for kind, names in (("elected", round_.elected), ("eliminated", round_.eliminated)):
            for name in names:
                moves = round_.transfers.get(name, {})
                outcomes.append(
                    {kind: name, "transfers": {d: format_number(v) for d, v in moves.items()}}
                )
        entry: dict[str, Any] = {
            "round": round_.number,
            "tally": tally,
            "tallyResults": outcomes,
            EXHAUSTED: format_number(round_.exhausted),
        }
        if round_.threshold is not None:
            entry["threshold"] = format_number(round_.threshold)
        rounds.append(entry)
    first = result.rounds[0] if result.rounds else None
    config = {
        "contest": title or "",
        "generatedBy": result.version,
        "seats": result.rules.seats,
        "method": result.rules.method.value,
        "seed": result.rules.seed,
        "threshold": (
            format_number(first.threshold) if first and first.threshold is not None else None
        ),
        "ballots": result.ballots,
        "winners": list(result.winners),
    }
    return {"config": config, "results": rounds}


def _image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'


def _round_table(result: Result, index: int) -> str:
    round_ = result.rounds[index]
    threshold = count_words.threshold_text(result, round_, format_number)
    rows = [
        f"<tr><th scope='row'>{html.escape(n)}</th><td>{html.escape(format_number(v))}</td></tr>"
        for n, v in round_.tally.items()
    ]
    rows.append(
        f"<tr><th scope='row'>{EXHAUSTED}</th>"
        f"<td>{html.escape(format_number(round_.exhausted))}</td></tr>"
    )
    notes = [f"<p>Elected: {html.escape(', '.join(round_.elected))}</p>"] if round_.elected else []
    if round_.eliminated:
        notes.append(f"<p>Eliminated: {html.escape(', '.join(round_.eliminated))}</p>")
    notes += [f"<p>Tie-break: {html.escape(t.explanation)}</p>" for t in round_.tiebreaks]
    notes += [
        f"<p>{html.escape(count_words.transfer_text(result, s, m, format_number))}</p>"
        for s, m in round_.transfers.items()
    ]
    heading = f"Round {round_.number}" + (f": {threshold}" if threshold else "")
    return (
        f"<section><h2>{html.escape(heading)}</h2><table><thead><tr><th>candidate</th>"
        f"<th>votes</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"{''.join(notes)}</section>"
    )


_STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.4}"
    "img{max-width:100%;height:auto}table{border-collapse:collapse}"
    "td,th{border:1px solid #888;padding:.2rem .5rem;text-align:left;overflow-wrap:anywhere}"
    "pre{white-space:pre-wrap}"
)


def charts_of(result: Result) -> tuple[bytes, bytes]:
    """(bars PNG, Sankey PNG) of ``result``."""
    from bot.adapters.render import charts  # noqa: PLC0415 - matplotlib only when drawing

    return charts.bars_png(result), charts.sankey_png(result)


def rounds_csv(result: Result) -> str:
    """One row per round and candidate (and the exhausted pile): ``round,candidate,votes,
    status`` where status is ``elected``, ``eliminated`` or empty; exact numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["round", "candidate", "votes", "status", "threshold"])
    for round_ in result.rounds:
        threshold = "" if round_.threshold is None else format_number(round_.threshold)
        for name, votes in round_.tally.items():
            status = (
                "elected"
                if name in round_.elected
                else "eliminated"
                if name in round_.eliminated
                else ""
            )
            writer.writerow([round_.number, name, format_number(votes), status, threshold])
        writer.writerow([round_.number, EXHAUSTED, format_number(round_.exhausted), "", threshold])
    return buffer.getvalue()


def _receipts(ballots: Sequence[tuple[str, Sequence[str]]]) -> str:
    if not ballots:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape(r)}</td><td>{html.escape(' > '.join(ranking))}</td></tr>"
        for r, ranking in ballots
    )
    return (
        "<h2>Anonymised ballots</h2><p>In receipt order (receipts are random, so the order "
        "says nothing about who voted when).</p><table><thead><tr><th>receipt</th>"
        f"<th>ranking</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def html_page(
    result: Result,
    title: str | None,
    bars: bytes,
    sankey: bytes,
    ballots: Sequence[tuple[str, Sequence[str]]] = (),
) -> str:
    """One self-contained page: rules, winners, each round's table, both charts (data: URIs,
    each with its alt text), tie-breaks, provenance, the auditor's text table and (from the
    bot) the anonymised ballots with their receipts."""
    from bot.adapters.render import charts  # noqa: PLC0415 - matplotlib only when drawing

    name = title or "Count"
    rounds = "".join(_round_table(result, i) for i in range(len(result.rounds)))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(name)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(name)}</h1>"
        f"<p>{html.escape(count_words.winners_text(result))}</p>"
        f"<h2>Rules</h2><p>{html.escape(describe(result.rules))}</p>"
        f"<p>{html.escape(count_words.rules_line(result))}</p>"
        f"<h2>Charts</h2><figure>{_image(bars, charts.bars_alt_text(result))}"
        "<figcaption>Tally by round: one row per candidate, one labelled bar per round, each "
        "round's threshold marked (the tables below give every figure).</figcaption></figure>"
        f"<figure>{_image(sankey, charts.sankey_alt_text(result))}"
        "<figcaption>Where the votes went between rounds: one lane per candidate, named at "
        "its left; ribbons run into the lane that received the votes.</figcaption></figure>"
        f"{rounds}"
        f"<h2>Provenance</h2><p>Counted by {html.escape(result.version)}; lot seed "
        f"{result.rules.seed}; {result.ballots} ballots; candidates in ballot order: "
        f"{html.escape(', '.join(result.candidates))}.</p>"
        f"<h2>Auditor's table</h2><pre>{html.escape(render_result(result, title, []))}</pre>"
        f"{_receipts(ballots)}"
        "</body></html>\n"
    )


def write_outputs(result: Result, title: str | None, paths: dict[str, str | None]) -> None:
    """Write each requested output (``chart``, ``sankey``, ``html``, ``summary``) to its path;
    each chart is drawn once even when the HTML page also embeds it. Raises ``OSError``."""
    from bot.adapters.render import charts  # noqa: PLC0415 - matplotlib only when drawing

    need_bars = bool(paths.get("chart") or paths.get("html"))
    need_sankey = bool(paths.get("sankey") or paths.get("html"))
    bars = charts.bars_png(result) if need_bars else b""
    sankey = charts.sankey_png(result) if need_sankey else b""
    if paths.get("chart"):
        Path(str(paths["chart"])).write_bytes(bars)
    if paths.get("sankey"):
        Path(str(paths["sankey"])).write_bytes(sankey)
    if paths.get("html"):
        Path(str(paths["html"])).write_text(html_page(result, title, bars, sankey), "utf-8")
    if paths.get("summary"):
        text = json.dumps(summary(result, title), indent=2, ensure_ascii=False) + "\n"
        Path(str(paths["summary"])).write_text(text, "utf-8")
