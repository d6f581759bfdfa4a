"""Action plans in the shape published plans use: read (XLSX) and write (XLSX, DOCX).

No Django: `shape` (vocabularies, columns, the plan as data), `dates`, `reader`, `writer`.
"""

from lantern.recommendations.plan_import.reader import ReadResult, read_plan
from lantern.recommendations.plan_import.shape import (
    PlanAction,
    PlanDocument,
    PlanRecommendation,
)
from lantern.recommendations.plan_import.writer import write_docx, write_xlsx

__all__ = [
    "PlanAction",
    "PlanDocument",
    "PlanRecommendation",
    "ReadResult",
    "read_plan",
    "write_docx",
    "write_xlsx",
]
