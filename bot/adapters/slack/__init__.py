"""Slack adapter: a slack-bolt ``AsyncApp`` over HTTP or Socket Mode (issue 5).

The adapter stays thin: it acknowledges within Slack's three seconds, builds an ``Actor``,
calls one service method and renders the answer as Block Kit. ``fake/`` is a local Slack
(Web API, response URLs, Socket Mode, OAuth and a signing driver) so the real bolt app can be
exercised end to end with no network.
"""
