"""Exports: CSV for spreadsheets, FHIR R4 for EHRs, and the patient's own "download all my data"."""
