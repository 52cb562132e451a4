{# The email dedup key: trimmed and lower-cased; blank means none. Python's sandbox uses the
   same rule to write the truth the tests compare against. #}
{% macro normalise_email(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}

{% macro blank_to_null(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{# Captorra writes the firm's local wall-clock time, US style; Odoo wants naive UTC.
   Formats and the four-digit-year rule (FULL_YEAR) match extract/captorra/checks.py, which
   refuses values none of them parse: `12/05/21` is null here, never the year 21 AD. #}
{% macro captorra_timestamp(column) -%}
    timezone('UTC', timezone('{{ var("captorra_timezone") }}', case
        when {{ full_year(column) }}
            then try_strptime(trim({{ column }}), [
                '%m/%d/%Y %I:%M %p', '%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y',
                '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d'])
    end))
{%- endmacro %}

{# The date in `column` writes its year in full (US or ISO): strptime's %Y would read
   `12/05/21` as the year 21 AD. FULL_YEAR in extract/captorra/checks.py is the same rule. #}
{% macro full_year(column) -%}
    regexp_matches(trim({{ column }}), '^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2})([ T]|$)')
{%- endmacro %}

{# A normalised email that is an address (one @, a dotted domain, no spaces), else null:
   `a@b` and `x@@y.com` are not, and must not merge people into one partner. The same rule
   as int_actionstep__participants. #}
{% macro valid_email(normalised) -%}
    case when {{ normalised }} similar to '[^@\s]+@[^@\s]+\.[^@\s]+' then {{ normalised }} end
{%- endmacro %}

{% macro yes_no(column) -%}
    (lower(trim({{ column }})) in ('yes', 'y', 'true', '1'))
{%- endmacro %}

{# Rows of the newest run only: for datasets that are whole snapshots each run (the target
   Odoo, the registry), where an older run is history, not current truth. #}
{% macro latest_run(relation) -%}
    (select * from {{ relation }} where _run_id = (select max(_run_id) from {{ relation }}))
{%- endmacro %}
