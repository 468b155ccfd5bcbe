"""The safety pathway: safety events, the crisis screen, safety plans and the clinic's crisis numbers."""
