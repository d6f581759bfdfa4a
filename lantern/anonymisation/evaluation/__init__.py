"""The anonymisation check's evaluation: hand-labelled drafts and the figures they give."""
