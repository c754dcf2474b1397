"""Neutral messages (``message``), built from service values (``views``, ``count``), and the
renderers that turn them into one platform's form (``text`` now; Discord and Slack later)."""
