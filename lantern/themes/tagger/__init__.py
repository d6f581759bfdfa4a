"""The offline theme tagger (no Django): `rules` (phrases with negation), `model` (a trained
logistic regression), `tag` (`suggest()`, combining both, and `TAGGER_VERSION`)."""
