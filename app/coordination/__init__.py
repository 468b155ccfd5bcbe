"""The physician's weekly coordination summary: what changed for each of their patients this week."""
