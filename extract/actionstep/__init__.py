"""Actionstep extractor: OAuth, adaptive pacing, resumable paging into raw Parquet.

`command.extract_actionstep` is the CLI entry; `runner.run_extract` does the work and is what
tests call (optionally over an in-process transport to the local API).
"""
