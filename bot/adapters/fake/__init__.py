"""The fake chat: the whole core driven by typed lines, for trying the bot and for transcripts.

``parse_console_line`` / ``ConsoleLine`` / ``is_comment`` (the line format) are re-exported here
for the local Discord and Slack runners; importing them does not import the core.
"""

from bot.adapters.fake.lines import ConsoleLine, is_comment, parse_console_line

__all__ = ["ConsoleLine", "is_comment", "parse_console_line"]
