"""Errors as data: one shape for problems found in files and input, shown by pages and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    field: str = ""
    value: str = ""
    row: int | None = None
    sheet: str = ""
    column: str = ""
    severity: str = "error"  # "error" blocks; "warning" is reported only

    def __str__(self) -> str:
        where = [self.file or "input"]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        if self.field:
            where.append(f"field '{self.field}'")
        text = ", ".join(where) + f": {self.message}"
        if self.value:
            text += f" (value: {self.value!r})"
        return text

    def as_dict(self) -> dict:
        return asdict(self)


class ProblemsError(Exception):
    """Raised when input is refused as a whole; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))
