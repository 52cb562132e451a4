"""`_row_hash` (macros/row_hash.sql) covers every column a mart sends: `load --delta` skips a
row whose hash it has seen, so a column outside the hash would hide real changes.

Each mart's compiled SQL is run again with one sent column of its final CTE changed in every
row (null to a value, a value to null); the hash must change in every row, every time."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from legal2odoo.load.marts import Mart, find_marts
from tests.conftest import Pipeline

# The `_` columns the loader turns into values it sends (see the macro).
LOADER_INPUTS = ("_res_xmlid", "_sha256", "_author_user_id")
TAIL = re.compile(
    r"select\s+\*,\s+(md5\(to_json\(struct_pack\(.*?\)\)\)\)\))\s+as _row_hash\s+from final\s*$",
    re.S,
)


def compiled_sql(pipeline: Pipeline, table: str) -> tuple[str, str]:
    """The mart's SQL up to its final CTE, and its hash expression."""
    compiled = pipeline.workdir.root / "dbt" / "target" / "compiled" / "legal2odoo"
    sql = next(compiled.glob(f"models/**/{table}.sql")).read_text()
    found = TAIL.search(sql)
    assert found, f"{table}: does not end with row_hash() over its final CTE"
    return sql[: found.start()], found.group(1)


def hashed_columns(mart: Mart) -> list[str]:
    return [*mart.columns, *(c for c in mart.metadata if c in LOADER_INPUTS)]


def _value_of(data_type: str) -> str:
    """A non-null value of the type, as text."""
    if data_type == "BOOLEAN":
        return "true"
    if data_type.startswith(("DATE", "TIMESTAMP")):
        return "1999-01-01"
    if data_type.startswith(("VARCHAR", "JSON")):
        return "x"
    return "-7"


def unchanged_rows(con: duckdb.DuckDBPyConnection, mart: Mart, column: str) -> int:
    """Rows of the mart whose hash stays the same when `column` changes."""
    ctes, expression = compiled_sql_cache[mart.table]
    quoted = f'"{column}"'
    data_type = con.execute(f"select typeof({quoted}) from {mart.table} limit 1").fetchone()[0]
    value = f"cast('{_value_of(data_type)}' as {data_type})"
    # `_before` starts with `_`: outside the hash of the changed row
    sql = (
        f"{ctes} select count(*) from ("
        f"select _before, {expression} as _after from ("
        f"select * replace (case when {quoted} is null then {value} end as {quoted}), "
        f"{expression} as _before from final)) where _before = _after"
    )
    return con.execute(sql).fetchone()[0]


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchone()[0]


compiled_sql_cache: dict[str, tuple[str, str]] = {}


def test_changing_any_sent_column_changes_the_hash(both_pipeline: Pipeline) -> None:
    with duckdb.connect(str(both_pipeline.workdir.warehouse), read_only=True) as con:
        marts = [m for m in find_marts(con) if _count(con, m.table)]
        assert len(marts) >= 10
        checked = 0
        for mart in marts:
            ctes, expression = compiled_sql(both_pipeline, mart.table)
            compiled_sql_cache[mart.table] = (ctes, expression)
            # the compiled SQL gives the stored hashes: the test exercises the real one
            again = con.execute(f"{ctes} select {expression} from final order by 1").fetchall()
            stored = con.execute(f"select _row_hash from {mart.table} order by 1").fetchall()
            assert again == stored, mart.table
            for column in hashed_columns(mart):
                assert unchanged_rows(con, mart, column) == 0, (
                    f"{mart.table}: changing {column} leaves _row_hash as it was"
                )
                checked += 1
    assert checked > 100


def test_bookkeeping_columns_do_not_change_the_hash(both_pipeline: Pipeline) -> None:
    """The ledger-only `_` columns are not values Odoo receives."""
    with duckdb.connect(str(both_pipeline.workdir.warehouse), read_only=True) as con:
        ctes, expression = compiled_sql(both_pipeline, "odoo__res_partner")
        unchanged, total = con.execute(
            f"{ctes} select count(*) filter (where {expression} = _row_hash), count(*) from ("
            "select * replace ('elsewhere' as _source_id, -1 as _load_pass), "
            f"{expression} as _row_hash "
            "from final) as final"
        ).fetchone()
    assert total > 0 and unchanged == total


def test_the_macro_is_the_only_row_hash() -> None:
    """No mart keeps its own column list again."""
    marts = Path(__file__).parents[1] / "models" / "marts"
    for path in marts.glob("odoo__*.sql"):
        sql = path.read_text()
        assert "{{ row_hash() }} as _row_hash" in sql, path.name
        assert sql.count("_row_hash") == 1, path.name
