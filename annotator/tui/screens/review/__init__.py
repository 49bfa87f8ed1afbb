"""The review screen: one article's disagreements beside each annotator's tags, settled into gold
(screen.py: reading and moving; drawing.py; settling.py: the keys that settle)."""
