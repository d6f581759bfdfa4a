"""Pages for running a commissioned review: terms, panel, pauses, liaison, family, meetings."""
