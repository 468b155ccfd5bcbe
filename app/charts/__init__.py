"""Server-rendered charts: inline SVG with a title, a description and a data table, no chart library."""
