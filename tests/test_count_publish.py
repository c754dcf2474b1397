"""``hustings count --chart/--sankey/--html/--summary`` and the charts behind them.

The CLI runs as a real subprocess on the Labour 2010 MPs' file; the charts' own qualities
(no name cut, fills, thresholds, lane labels) are in tests/bot/adapters/test_chart_quality.py.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from bot.adapters.render import charts
from bot.publish import summary
from tests.bot.adapters.chart_cases import fifty_long_names

ROOT = Path(__file__).resolve().parents[1]
LABOUR = ROOT / "tests" / "data" / "ballots" / "labour2010_mps_section.json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def hustings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (after checking the signature)."""
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_all_four_outputs_from_the_labour_file(tmp_path: Path) -> None:
    out = {k: tmp_path / f"out.{k}" for k in ("chart", "sankey", "html", "summary")}
    done = hustings(
        "count",
        str(LABOUR),
        "--chart",
        str(out["chart"]),
        "--sankey",
        str(out["sankey"]),
        "--html",
        str(out["html"]),
        "--summary",
        str(out["summary"]),
    )
    assert done.returncode == 0, done.stderr
    assert "Winner: D.Milbnd" in done.stdout
    for key in ("chart", "sankey"):
        width, height = png_size(out[key].read_bytes())
        assert width >= 600 and height >= 400, (key, width, height)
    result: dict[str, Any] = json.loads(hustings("count", str(LABOUR), "--json").stdout)
    page = out["html"].read_text("utf-8")
    for name in result["candidates"]:
        assert name in page
    for round_ in result["rounds"]:
        section = page.split(f"<h2>Round {round_['round']}")[1].split("</section>")[0]
        for name, votes in round_["tally"].items():
            assert f"<th scope='row'>{name}</th><td>{votes}</td>" in section
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', page)
    assert len(images) == 2
    assert base64.b64decode(images[0][0]) == out["chart"].read_bytes()
    assert base64.b64decode(images[1][0]) == out["sankey"].read_bytes()
    assert "Elected: D.Milbnd" in images[1][1]
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "no external assets"
    assert "hustings-counting/0.1" in page and "seed 0" in page
    data = json.loads(out["summary"].read_text("utf-8"))
    assert [r["tally"] for r in data["results"]] == [r["tally"] for r in result["rounds"]]
    first = data["results"][0]["tallyResults"]
    assert first == [
        {"eliminated": "D.Abbott", "transfers": result["rounds"][0]["transfers"]["D.Abbott"]}
    ]
    assert data["config"]["contest"].startswith("2010 UK Labour")


def test_count_without_chart_flags_never_imports_matplotlib() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['count', {str(LABOUR)!r}])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_unwritable_output_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = hustings("count", str(LABOUR), "--summary", str(tmp_path / "no" / "such.json"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"hustings count: cannot write {tmp_path / 'no' / 'such.json'}")
    assert "Traceback" not in done.stderr


def test_alt_text_states_every_tally_and_transfer() -> None:
    result = fifty_long_names()
    bars = charts.bars_alt_text(result)
    flows = charts.sankey_alt_text(result)
    for round_ in result.rounds:
        assert f"Round {round_.number}: " in bars
        for name in round_.tally:
            assert name in bars
        for source in round_.transfers:
            assert f"After round {round_.number}, {source}'s votes" in flows
    assert f"Elected: {result.winners[0]}." in flows
    assert summary(result, None)["results"][-1]["tally"]


def test_chart_labels_round_a_non_terminating_fraction_to_two_places() -> None:
    assert charts._short(Fraction(100, 3)) == "33.33"  # crashed on Fraction.__format__ (3.11)
    assert charts._short(Fraction(25, 2)) == "12.5"


def test_outputs_that_name_one_file_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    same = tmp_path / "x.png"
    done = hustings("count", str(LABOUR), "--chart", str(same), "--sankey", str(same))
    assert done.returncode == 2
    assert f"--sankey {same} is the same file as --chart" in done.stderr
    assert not same.exists()
    copy = tmp_path / "ballots.json"
    copy.write_bytes(LABOUR.read_bytes())
    over = hustings("count", str(copy), "--html", str(copy))
    assert over.returncode == 2 and "the same file as the ballot file" in over.stderr
    assert copy.read_bytes() == LABOUR.read_bytes()
    missing = hustings("count", str(LABOUR), "--summary", str(tmp_path / "no" / "s.json"))
    assert missing.returncode == 2
    assert f"cannot write {tmp_path / 'no' / 's.json'}: No such file" in missing.stderr
