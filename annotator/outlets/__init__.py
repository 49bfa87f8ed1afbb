"""The outlet registry: outlets read from YAML, changed from the command line, and their facts
as of a date."""
