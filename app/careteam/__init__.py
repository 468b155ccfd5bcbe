"""A patient's care team: treating therapist, physician and co-therapists, and who may join it."""
