"""Untrusted text (titles, outlet fields, labels, names, notes) for the widgets: always a rich
``Text`` (never read as markup), normalized (no escape sequences or control characters)."""

from __future__ import annotations

from rich.text import Text


def safe(value: object, style: str = "") -> Text:
    """:func:`annotator.readouts.render.safe`, imported on first use: the render module imports the models,
    which the TUI's first frame must not wait for (see .opening)."""
    from ...readouts.render import safe as render_safe

    return render_safe(value, style)
