"""A team's work: articles assigned with overlap, disagreements settled into gold, time on task."""
