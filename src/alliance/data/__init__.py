"""Bundled, sourced data tables and their validated loading into DuckDB."""

from alliance.data.loader import Dataset, TableSchema, load_dataset, read_schema, validate_frame

__all__ = ["Dataset", "TableSchema", "load_dataset", "read_schema", "validate_frame"]
