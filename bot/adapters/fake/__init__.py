"""The fake chat: the whole core driven by typed lines, for trying the bot and for transcripts."""
