"""Pages for recommendations and action plans: the plan (`plan`), one action (`actions`), and
the board's oversight across reviews (`oversight`)."""
