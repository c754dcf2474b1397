"""``hustings count --chart/--sankey/--html/--summary`` and the charts behind them.

The CLI runs as a real subprocess on the Labour 2010 MPs' file; the charts are also drawn
in-process for a 50-candidate count with 100-character names to prove no name is cut.
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
from counting import engine
from counting.ballots import Profile
from counting.rules import Method, Rules

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
    assert done.stderr.startswith("hustings count: cannot write output")
    assert "Traceback" not in done.stderr


def _many_long_names() -> Any:
    names = [
        f"Candidate {i:02d} " + "x" * 40 + " " + "Longname" * 6 + f" end{i:02d}" for i in range(50)
    ]
    names = [n[:100] for n in names]
    assert all(len(n) == 100 for n in names) and len(set(names)) == 50
    rankings = [names[i:] + names[:i] for i in range(50) for _ in range(i % 7 + 1)]
    profile = Profile.from_rankings(names, rankings)
    return engine.count(profile, Rules(method=Method.IRV, seats=1))


def test_fifty_long_names_are_never_clipped(tmp_path: Path) -> None:
    result = _many_long_names()
    for build in (charts.bars_figure, charts.sankey_figure):
        figure = build(result)
        png = charts._png(figure)  # draws and crops to every artist
        renderer = figure.canvas.get_renderer()
        saved = figure.get_tightbbox(renderer).transformed(figure.dpi_scale_trans)
        labels = [t for t in figure.findobj(lambda a: hasattr(a, "get_text")) if a_text(t)]
        shown = "\n".join(t.get_text() for t in labels)
        for name in result.candidates:
            assert charts.wrap_name(name) in shown
        wrapped = [charts.wrap_name(n) for n in result.candidates]
        named = [t for t in labels if any(w in t.get_text() for w in wrapped)]
        assert len(named) >= 50
        for text in named:
            box = text.get_window_extent(renderer)
            inside = saved.y0 - 1 <= box.y0 and box.y1 <= saved.y1 + 1
            assert inside and saved.x0 - 1 <= box.x0 and box.x1 <= saved.x1 + 1, text.get_text()[
                :30
            ]
        width, height = png_size(png)
        assert 600 <= width <= 1400, width
        assert height >= 400
        (tmp_path / f"{build.__name__}.png").write_bytes(png)
    for name in result.candidates:
        assert "".join(charts.wrap_name(name).split("\n")).replace(" ", "") == name.replace(" ", "")
        assert max(len(line) for line in charts.wrap_name(name).split("\n")) <= charts.WRAP


def a_text(artist: Any) -> bool:
    return bool(artist.get_visible() and artist.get_text())


def test_alt_text_states_every_tally_and_transfer() -> None:
    result = _many_long_names()
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


def test_a_twelve_candidate_three_seat_stv_count_renders(tmp_path: Path) -> None:
    """Fractional transfers (surpluses) reach the labels; both charts and alt texts render."""
    names = [f"Candidate {chr(65 + i)}" for i in range(12)]
    rankings = [
        [names[(start + step * k) % 12] for k in range(1 + start % 5)]
        for start in range(12)
        for step in (1, 5, 7)
        for _ in range(12 - start)
    ]
    result = engine.count(Profile.from_rankings(names, rankings), Rules(Method.STV, seats=3))
    assert len(result.winners) == 3
    for png in (charts.bars_png(result), charts.sankey_png(result)):
        width, height = png_size(png)
        assert width >= 600 and height >= 400
    assert "After round 1" in charts.sankey_alt_text(result)


def test_chart_labels_round_a_non_terminating_fraction_to_two_places() -> None:
    assert charts._short(Fraction(100, 3)) == "33.33"  # crashed on Fraction.__format__ (3.11)
    assert charts._short(Fraction(25, 2)) == "12.5"
