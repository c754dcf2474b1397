"""A bot process that only casts ballots, for ``test_two_processes`` (not a test module).

    python tests/bot/services/ballot_worker.py DATABASE_URL DATA_DIR FIRST LAST

Builds the app as ``hustings run`` does (migrations, the secret in DATA_DIR), runs one
scheduler pass (closing what is due, printing ``announced CHANNEL`` for each close it
announces, ``scheduled`` after the pass), then members FIRST … LAST-1 rank in the place the
test opened an election in, 20 at a time. Each
acknowledged ballot prints ``ack MEMBER RECEIPT`` at once (flushed), after its commit, as a
bot would reply; a refusal prints ``refused MEMBER``; the end prints ``done``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.app import build_app
from bot.config import Settings
from bot.domain import Actor, Place
from bot.errors import UserError

PLACE = Place("discord", "guild-1", "chan-hustings")
AT_ONCE = 20


class Printer:
    """The announcer: a line on stdout per announced close."""

    async def announce(self, place: Place, message: object) -> None:
        print(f"announced {place.channel}", flush=True)


def member(n: int) -> Actor:
    return Actor("discord", "guild-1", f"user-{n}", f"Member {n}")


async def main(url: str, data_dir: Path, first: int, last: int) -> None:
    settings = Settings(_env_file=None, database_url=url, data_dir=data_dir)  # type: ignore[call-arg]
    app = await build_app(settings)
    await app.scheduler(Printer()).run_once()
    print("scheduled", flush=True)
    numbers = iter(range(first, last))

    async def voter() -> None:
        for n in numbers:
            try:
                receipt = await app.ballots.rank(member(n), PLACE, ("corbyn", "burnham")[n % 2])
            except UserError:
                print(f"refused {n}", flush=True)
            else:
                print(f"ack {n} {receipt.receipt}", flush=True)

    try:
        await asyncio.gather(*(voter() for _ in range(AT_ONCE)))
    finally:
        await app.aclose()
    print("done", flush=True)


if __name__ == "__main__":
    url, folder, first, last = sys.argv[1:]
    asyncio.run(main(url, Path(folder), int(first), int(last)))
