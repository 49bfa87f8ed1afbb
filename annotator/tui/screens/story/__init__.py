"""The story screen: a story's articles side by side, a concept followed in all (screen.py), and
tagging from a column (tagging.py)."""
