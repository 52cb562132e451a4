"""Source-side SQL that verify runs over the raw Parquet: one query per source object."""
