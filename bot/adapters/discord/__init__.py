"""Discord adapter on discord.py (issue 4).

``endpoints`` is the one place that points discord.py at a base URL (real Discord or the
local fake); ``fake/`` is a local Discord (REST subset and gateway) so the real client can be
exercised end to end with no network.
"""
