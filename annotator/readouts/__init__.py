"""Read-outs of the tags: statistics, result tables and the formats they are written in, people's
words for codebook ids, and terminal rendering."""
