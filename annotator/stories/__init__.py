"""One event across outlets: a story's articles compared, and suggested stories."""
