"""``/election export --format html|summary|csv``: a counted election's publishable result,
through dispatch and the real database (the ``app`` fixture), private to the moderator."""

from __future__ import annotations

import csv
import io
import json
import re

from bot.adapters.dispatch import dispatch_line
from bot.adapters.render.message import Reply
from bot.app import App
from bot.domain import Actor, Place

PLACE = Place("fake", "ws", "general")
MOD = Actor("fake", "ws", "mod", "Mod", frozenset({"moderator"}))
VOTERS = [Actor("fake", "ws", f"v{i}", f"Voter {i}") for i in range(5)]
RANKINGS = ["Corbyn Burnham", "Corbyn", "Burnham Kendall", "Kendall Burnham", "Cooper Kendall"]


async def say(app: App, actor: Actor, line: str) -> Reply:
    return await dispatch_line(app, actor, PLACE, line)


async def counted(app: App) -> Reply:
    await say(app, MOD, '/election create "Leader" Kendall, Burnham, Cooper, Corbyn')
    await say(app, MOD, "/election open 1")
    for voter, ranking in zip(VOTERS, RANKINGS, strict=True):
        assert not (await say(app, voter, f"/rank {ranking}")).title.startswith("Only")
    return await say(app, MOD, "/election count 1")


async def test_summary_html_and_csv_state_the_stored_result(app: App) -> None:
    declared = await counted(app)
    assert not declared.private
    stored = (await app.elections.count(MOD, PLACE, "1")).result  # a recount: must match
    reply = await say(app, MOD, "/election export 1 --format summary")
    assert reply.private and reply.attachment is not None
    assert reply.attachment.filename == "election-1-summary.json"
    data = json.loads(reply.attachment.content)
    assert [r["round"] for r in data["results"]] == [r.number for r in stored.rounds]
    assert [r["tally"] for r in data["results"]] == [r.to_dict()["tally"] for r in stored.rounds]
    assert data["config"]["winners"] == list(stored.winners)
    page = (await say(app, MOD, "/election export 1 --format html")).attachment
    assert page is not None and page.filename == "election-1-result.html"
    assert page.content.count("data:image/png;base64,") == 2
    for name in ("Kendall", "Burnham", "Cooper", "Corbyn"):
        assert name in page.content
    words = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page.content)
    assert "Voter" not in words and "v0" not in words
    assert "Anonymised ballots" in page.content
    rows = (await say(app, MOD, "/election export 1 --format csv")).attachment
    assert rows is not None and rows.filename == "election-1-rounds.csv"
    table = list(csv.DictReader(io.StringIO(rows.content)))
    first = {r["candidate"]: r["votes"] for r in table if r["round"] == "1"}
    assert first == {**stored.rounds[0].to_dict()["tally"], "exhausted": "0"}


async def test_a_result_export_before_the_count_is_refused(app: App) -> None:
    await say(app, MOD, '/election create "Leader" Kendall, Burnham')
    await say(app, MOD, "/election open 1")
    await say(app, VOTERS[0], "/rank Kendall")
    await say(app, MOD, "/election close 1")
    reply = await say(app, MOD, "/election export 1 --format html")
    assert reply.private and reply.attachment is None
    assert reply.title == "Leader has not been counted; html shows a result, so count first."


async def test_members_cannot_export_a_result(app: App) -> None:
    await counted(app)
    reply = await say(app, VOTERS[0], "/election export 1 --format summary")
    assert reply.private and reply.attachment is None
    assert reply.title == "Only moderators can use /election export."
