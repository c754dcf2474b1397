"""A local fake Slack for end-to-end tests and for running the bot without a workspace.

``FakeSlack`` serves the Web API subset, response URLs, OAuth and Socket Mode on 127.0.0.1
and drives the app (signed slash commands, clicks, modal submissions). ``serve_forever``
runs it as a process (``python -m bot.adapters.slack.fake``).
"""

from bot.adapters.slack.fake.driver import Interaction, Mode
from bot.adapters.slack.fake.files import SlackFile
from bot.adapters.slack.fake.model import Ack, ApiCall, Channel, Message, Team, User, View
from bot.adapters.slack.fake.oauth import InstallResult
from bot.adapters.slack.fake.ratelimit import RateLimit
from bot.adapters.slack.fake.server import FakeSlack
from bot.adapters.slack.fake.signing import Signing

__all__ = [
    "Ack",
    "ApiCall",
    "Channel",
    "FakeSlack",
    "InstallResult",
    "Interaction",
    "Message",
    "Mode",
    "RateLimit",
    "Signing",
    "SlackFile",
    "Team",
    "User",
    "View",
]
