"""College and STV counts typed at the console, announced round by round."""

from __future__ import annotations

from bot.adapters.fake.run import run_lines
from bot.app import App


async def transcript(app: App, script: str) -> list[str]:
    out: list[str] = []
    await run_lines(app, script.strip().splitlines(), lambda text: out.extend(text.splitlines()))
    return out


async def test_college_count_shows_points_and_sections(app: App) -> None:
    create = (
        '@chair +moderator: /election create "Leader" A, B, C --method college'
        " --sections mp=MPs, member=Members, union=Affiliates"
        " --weights MPs=1, Members=2, Affiliates=1"
    )
    lines = await transcript(
        app,
        create
        + """
@chair +moderator: /election open
@m1 +mp: /rank A B
@m2 +mp: /rank A C
@p1 +member: /rank B A
@p2 +member: /rank B A
@p3 +member: /rank C B
@u1 +union: /rank C B
@u2 +union: /rank B C
@guest: /rank A
@chair +moderator: /election count
""",
    )
    assert (
        "[private to guest] Your roles place you in no section of this college "
        "(roles: mp, member, union)." in lines
    )
    start = lines.index("[#general] Result: Leader")
    assert lines[start + 1 : -1] == [
        "    7 ballots, 3 candidates, COLLEGE for 1 seat.",
        "    Round 1: threshold 50: more than 50 of the 100 points",
        "      Percentages are of the points counted.",
        "      B  ≈45.83   45.8%",
        "      C  ≈29.17   29.2%",
        "      A      25   25.0%",
        "      Section MPs: A 2, B 0, C 0",
        "      Section Members: A 0, B 2, C 1",
        "      Section Affiliates: A 0, B 1, C 1",
        "      Eliminated: A",
        "      Points carried by A's ballots: 12.5 to B, 12.5 to C",
        "    Round 2",
        "      B  ≈58.33   58.3%",
        "      C  ≈41.67   41.7%",
        "      Section MPs: B 1, C 1",
        "      Section Members: B 2, C 1",
        "      Section Affiliates: B 1, C 1",
        "      Elected: B",
        "      B elected with more than 50 points",
        "    Winner: B",
    ]
    assert lines[-1].startswith("    Rules: Labour electoral college, 1 seat; ")


async def test_stv_count_elects_three_in_order(app: App) -> None:
    votes = ["A B"] * 8 + ["C D"] * 5 + ["D C"] * 4 + ["E B"] * 2 + ["B E"]
    script = "\n".join(
        [
            '@chair +moderator: /election create "Committee" A, B, C, D, E --method stv --seats 3',
            "@chair +moderator: /election open",
            *(f"@v{n}: /rank {ranking}" for n, ranking in enumerate(votes)),
            "@chair +moderator: /election count",
        ]
    )
    lines = await transcript(app, script)
    start = lines.index("[#general] Result: Committee")
    assert lines[start + 1] == "    20 ballots, 5 candidates, STV for 3 seats."
    assert (
        "    Round 1: quota 6: the Droop quota of the 20 valid votes for 3 seats" in lines[start:]
    )
    assert lines[-2] == "    Winners, in order of election: A, C, B"
