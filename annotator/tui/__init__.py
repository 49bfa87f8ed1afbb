"""The Textual user interface. Imported only when the TUI is opened."""
