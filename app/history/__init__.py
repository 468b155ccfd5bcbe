"""A patient's own recent entries: correct or delete them for a week, then they are the record."""
