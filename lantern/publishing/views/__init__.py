"""Pages of the publication area, split by step: drafts and comments, QA and publication,
dissemination."""
