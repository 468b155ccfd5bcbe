"""The shared treatment plan the whole care team works from (CLINICAL.md: shared goals, one plan)."""
