"""Review criteria assessment: does a death meet the legal test for a review?

Pure Python, no Django: advice for the Community Safety Partnership chair, who decides in
consultation with partners. See ``assessment`` for the logic and why it is shaped as it is,
``rules`` for the wording and the per-test rule tables, and ``codes`` for the stored codes and
their labels.
"""

from .assessment import (
    RESULT_FORMAT_VERSION,
    Check,
    CriteriaInput,
    CriteriaResult,
    assess,
    result_from_dict,
    result_to_dict,
)
from .codes import (
    CHECK_CODES,
    CHECK_OUTCOMES,
    DA_ACT_2021,
    DEATH_TYPES,
    DEFAULT_LEGAL_TEST,
    DVCVA_2004_S9,
    LEGAL_TESTS,
    OUTCOMES,
    RELATIONSHIPS,
)
from .rules import ADVISORY_NOTE

__all__ = [
    "ADVISORY_NOTE",
    "CHECK_CODES",
    "CHECK_OUTCOMES",
    "DA_ACT_2021",
    "DEATH_TYPES",
    "DEFAULT_LEGAL_TEST",
    "DVCVA_2004_S9",
    "LEGAL_TESTS",
    "OUTCOMES",
    "RELATIONSHIPS",
    "RESULT_FORMAT_VERSION",
    "Check",
    "CriteriaInput",
    "CriteriaResult",
    "assess",
    "result_from_dict",
    "result_to_dict",
]
