"""annotator: tag how news articles frame events, beside what is known about their outlet."""

DEFAULT_DB = "annotations.db"  # the default database, in the working folder
