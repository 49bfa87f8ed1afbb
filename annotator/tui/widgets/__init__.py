"""Widgets that draw what they are given (an article, outlets, tags, a codebook): no store, no SQL."""
