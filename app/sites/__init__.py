"""A clinic network's sites: which site a patient is at, where staff work, and the admin's pages for them."""
