"""The annotation screen (the app's main screen), in modules by job: the screen and its
handlers, its reading workers, its drawing, its changes and its moves."""

from .screen import AnnotateScreen

__all__ = ["AnnotateScreen"]
