"""Hand-labelled evaluation sets, kept apart from training, and `evaluate.py`."""
