"""Correcting an article after import: its facts (publisher, source, date, story, title), and its
tags carried to a corrected text."""
