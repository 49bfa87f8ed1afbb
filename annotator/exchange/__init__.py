"""Other tools' annotation files, read and written."""
