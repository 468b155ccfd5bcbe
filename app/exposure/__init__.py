"""Exposure therapy: hierarchies (ERP, prolonged exposure), practice logs and the therapist's per-item view."""
