"""The ``annotator`` subcommands (click), a module per command or group of commands; the
group itself, and the ``tui`` command, are in :mod:`annotator.cli`."""
