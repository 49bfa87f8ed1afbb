"""Bringing articles in: files read and decoded, each record's fields checked, pages cleaned of
boilerplate, manifests applied, and the articles staged into the store."""
