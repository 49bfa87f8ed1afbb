"""``annotator merge``: what another database, bundle or export holds brought in, with the rules
that decide each conflict and a report of what was done."""
