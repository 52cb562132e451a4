"""Captorra: the admin CSV export, its registry, activities and attachments to raw Parquet."""
