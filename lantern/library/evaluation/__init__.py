"""Accuracy of the library's fact extraction: `python -m lantern.library.evaluation`.

Figures are written in docs/library-extraction.md; `figures.json` holds the last recorded run,
which the tests hold the extraction to.
"""

from lantern.library.evaluation.evaluate import evaluate_devset, evaluate_generated, run

__all__ = ["evaluate_devset", "evaluate_generated", "run"]
