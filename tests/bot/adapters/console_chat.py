"""``scenarios.Chat`` on the fake chat console: the same steps the Slack and Discord fakes play."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.adapters.fake.console import Console
from bot.app import App
from tests.bot.adapters.scenarios import Seen, Step


@dataclass
class ConsoleChat:
    app: App
    transcript: list[str] = field(default_factory=list)

    async def say(self, step: Step) -> Seen:
        written: list[str] = []
        console = Console(self.app, written.append, echo=False)
        roles = "".join(f" +{r}" for r in sorted(step.roles))
        await console.feed(f"@{step.who}{roles}: {step.line}")
        self.transcript += [f"@{step.who}{roles}: {step.line}", *written]
        mine = f"[private to {step.who}] "
        private = tuple(w.removeprefix(mine) for w in written if w.startswith(mine))
        edited = tuple(w.split("] ", 1)[1] for w in written if w.startswith("[#") and
                       w.split("] ", 1)[0].endswith(", edited"))  # fmt: skip
        public = tuple(w.split("] ", 1)[1] for w in written if w.startswith("[#")
                       and not w.split("] ", 1)[0].endswith(", edited"))  # fmt: skip
        return Seen(private, public, edited)
