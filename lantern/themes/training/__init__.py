"""Training data for the theme model (`train.jsonl`, written and labelled by hand) and `train.py`,
which regenerates `themes/data/model_weights.json`."""
