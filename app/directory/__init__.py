"""The patient directory: clinic staff find any patient they may schedule, even one with no visit yet."""
