{# The target Odoo snapshot (raw/odoo, or LEGAL2ODOO_ODOO_SNAPSHOT), one folder per resource
   and run, as written by `extract odoo` (load/snapshot.py). #}

{# The folder glob of one snapshot resource; the same location as source('odoo', name). #}
{% macro odoo_snapshot_glob(name) -%}
    {{ env_var("LEGAL2ODOO_ODOO_SNAPSHOT", env_var("LEGAL2ODOO_DATA", "data") ~ "/raw/odoo") }}/{{ name }}/run=*/*.parquet
{%- endmacro %}

{# Whether the snapshot has any part file for a resource. A firm may build before it has a
   target to snapshot: then an empty target is assumed (docs: README, preflight). Read at
   execution time (false while parsing, which only needs the graph). #}
{% macro odoo_snapshot_exists(name) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set found = run_query("select count(*) from glob('" ~ odoo_snapshot_glob(name) ~ "')") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{# A snapshot resource as a relation, or an empty relation of the same columns when the
   snapshot has no files for it (see actionstep_raw). `columns` is a list of (name, type)
   pairs; _extracted_at and _run_id are always added. #}
{% macro odoo_raw(name, columns) -%}
    {%- set columns = columns + [('_extracted_at', 'timestamp'), ('_run_id', 'varchar')] -%}
    {%- set relation = source('odoo', name) -%}
    {%- if odoo_snapshot_exists(name) -%}
        (select {% for column, type in columns %}cast({{ column }} as {{ type }}) as {{ column }}{{ ", " if not loop.last }}{% endfor %} from {{ relation }})
    {%- else -%}
        (select {% for column, type in columns %}cast(null as {{ type }}) as {{ column }}{{ ", " if not loop.last }}{% endfor %} where false)
    {%- endif -%}
{%- endmacro %}
