"""Therapy appointments: the therapist plans sessions around TMS; the patient sees them on Today, the week and
their calendar, and is reminded."""
