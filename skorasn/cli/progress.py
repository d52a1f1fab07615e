"""A transient progress display on stderr while files are read and reports written.

It appears only when stderr is a terminal a person is watching, and it is always cleared when
the run ends, however it ends, so it never garbles the report printed after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from skorasn.formatting import thousands
from skorasn.models import Step

if TYPE_CHECKING:
    from rich.console import Console

WIDEST_PLACE = 50


@contextmanager
def progress_display(console: Console, wanted: bool = True) -> Iterator[object]:
    """Yield the callable the job reports its steps to (None when nothing is shown)."""
    if not (wanted and console.is_terminal):
        yield None
        return
    # Imported here: a run without a terminal to draw on should not pay for it.
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    display = Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = display.add_task("memulai …", total=1.0)

    def show(step: Step) -> None:
        place = step.place if len(step.place) <= WIDEST_PLACE else "…" + step.place[-WIDEST_PLACE:]
        display.update(
            task,
            description=f"{step.action} {place} ({thousands(step.rows)} baris)",
            completed=step.fraction or 0.0,
        )
        display.refresh()

    with display:
        yield show
