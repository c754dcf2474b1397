"""The exported HTML page as a browser shows it (issue 12): ``hustings count`` of the Labour
2010 MPs' file writes the page, and Debian's headless Chromium loads it.

Checked: no console message at all (the page has no script of its own, so any message is a
browser complaint), every candidate and every round's tally as the browser parsed and laid
them out, both charts embedded as ``data:`` URIs and decoded by the browser at their PNG
sizes. The page is loaded from a copy with one small script appended that reports what the
browser built (``CHECK``); the export itself is not changed. A canary page proves the
console capture and the image check can fail.

Runs when ``/usr/bin/chromium`` exists; under ``CI=true`` a missing browser FAILS (``.ci/run``
installs it). Every file (the page, Chromium's profile) is in the test's temp dir.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABOUR = ROOT / "tests" / "data" / "ballots" / "labour2010_mps_section.json"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"]  # fmt: skip
CHECK = """<script>
window.addEventListener("load", () => {
  const report = {
    images: [...document.images].map(i => ({
      data: i.currentSrc.startsWith("data:image/png;base64,"),
      done: i.complete, width: i.naturalWidth, height: i.naturalHeight, alt: i.alt})),
    rounds: [...document.querySelectorAll("section")].map(s => ({
      heading: s.querySelector("h2").textContent,
      rows: [...s.querySelectorAll("tbody tr")].map(r => [...r.cells].map(c => c.innerText))})),
    text: document.body.innerText,
  };
  const out = document.createElement("pre");
  out.id = "hustings-check";
  out.textContent = JSON.stringify(report);
  document.body.append(out);
});
</script>"""


def browser() -> Path:
    """The browser, or skip (locally) / fail (``CI=true``) when it is not installed."""
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} is not installed (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the HTML check: {message}")
    pytest.skip(message)


def load(page: Path, tmp: Path) -> tuple[dict[str, Any], list[str]]:
    """Load ``page`` in headless Chromium: (what ``CHECK`` reported, console messages)."""
    done = subprocess.run(
        [
            str(browser()),
            *FLAGS,
            f"--user-data-dir={tmp / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=tmp,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    found = re.search(r'<pre id="hustings-check">(.*?)</pre>', done.stdout, re.S)
    assert found, "the page never finished loading: " + done.stdout[:300]
    return json.loads(html.unescape(found.group(1))), console


def instrumented(page: Path, tmp: Path) -> Path:
    text = page.read_text("utf-8")
    assert text.count("</body>") == 1
    copy = tmp / "checked.html"
    copy.write_text(text.replace("</body>", CHECK + "</body>"), "utf-8")
    return copy


def test_the_labour_export_renders_in_chromium(tmp_path: Path) -> None:
    browser()
    page = tmp_path / "labour.html"
    cli = [sys.executable, "-m", "bot.cli", "count", str(LABOUR)]
    done = subprocess.run([*cli, "--html", str(page)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    counted = subprocess.run([*cli, "--json"], cwd=ROOT, capture_output=True, text=True,
                             timeout=300, check=True)  # fmt: skip
    result = json.loads(counted.stdout)
    report, console = load(instrumented(page, tmp_path), tmp_path)
    assert console == [], console
    for name in result["candidates"]:
        assert name in report["text"], name
    sections = {s["heading"].split(":")[0]: s["rows"] for s in report["rounds"]}
    for round_ in result["rounds"]:
        rows = sections[f"Round {round_['round']}"]
        assert dict(rows) == {**round_["tally"], "exhausted": round_["exhausted"]}
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page.read_text())
    assert len(embedded) == 2 and len(report["images"]) == 2
    for image, data in zip(report["images"], embedded, strict=True):
        png = base64.b64decode(data)
        width, height = struct.unpack(">II", png[16:24])
        assert image["data"] and image["done"], image
        assert (image["width"], image["height"]) == (width, height), "decoded at its PNG size"
        assert width >= 600 and height >= 400
        assert image["alt"].startswith(("Bar chart of", "Flow chart of"))


def test_the_check_sees_a_console_error_and_a_broken_image(tmp_path: Path) -> None:
    """The canary: if this passed with no message and a decoded image, the check is blind."""
    browser()
    page = tmp_path / "canary.html"
    page.write_text(
        "<!DOCTYPE html><html><body><section><h2>Round 1</h2></section>"
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="broken">'
        '<script>console.error("canary")</script></body></html>',
        "utf-8",
    )
    report, console = load(instrumented(page, tmp_path), tmp_path)
    assert any('"canary"' in line for line in console), console
    assert report["images"][0]["width"] == 0, "a broken image must not decode"


def test_under_ci_a_missing_browser_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run the HTML check"):
        browser()
