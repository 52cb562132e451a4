"""Errors an operator can act on: which file, which line, which column, what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_LISTED = 20


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file.name if self.line is None else f"{self.file.name} line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class SourceFileError(Exception):
    """A source file that cannot be extracted safely; nothing has been written."""

    def __init__(self, problems: list[Problem], advice: str) -> None:
        self.problems = problems
        self.advice = advice
        listed = [f"  - {problem}" for problem in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            listed.append(f"  … and {len(problems) - MAX_LISTED} more")
        files = sorted({str(problem.file) for problem in problems})
        super().__init__(
            f"refused {', '.join(files)}: {len(problems)} problem(s), nothing was written\n"
            + "\n".join(listed)
            + f"\nWhat to do: {advice}"
        )
