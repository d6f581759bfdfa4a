"""Review pages. `core` holds the review's life (dashboard, notification, people, decision,
stages); `process` holds the running of a review (terms, panel, pauses, family, meetings)."""
