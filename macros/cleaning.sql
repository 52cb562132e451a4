{# The email dedup key: trimmed and lower-cased; blank means none. Python's sandbox uses the
   same rule to write the truth the tests compare against. #}
{% macro normalise_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{% macro blank_to_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{# Captorra writes the firm's local wall-clock time, US style; Odoo wants naive UTC.
   Formats match extract/captorra/checks.py, which refuses values none of them parse. #}
{% macro captorra_timestamp(column) -%}
    timezone('UTC', timezone('{{ var("captorra_timezone") }}', try_strptime(nullif(trim({{ column }}), ''), [
        '%m/%d/%Y %I:%M %p', '%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y',
        '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d'])))
{%- endmacro %}

{% macro yes_no(column) -%}
    (lower(trim({{ column }})) in ('yes', 'y', 'true', '1'))
{%- endmacro %}

{# Rows of the newest run only: for datasets that are whole snapshots each run (the target
   Odoo, the registry), where an older run is history, not current truth. #}
{% macro latest_run(relation) -%}
    (select * from {{ relation }} where _run_id = (select max(_run_id) from {{ relation }}))
{%- endmacro %}
