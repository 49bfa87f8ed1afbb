"""The TUI's screens: the annotation screen, the statistics screen and the dialogs."""
