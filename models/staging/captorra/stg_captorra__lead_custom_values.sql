-- A table, not a view: parsing text once serves every model and test downstream.
{{ config(materialized='table') }}
-- Custom intake field values as exported (text), one row per lead and field, taken from the
-- export row stg_captorra__leads keeps too (base_captorra__leads). Which raw columns are custom
-- is recorded by extract (raw/captorra/columns); blanks are dropped.
{%- set custom_columns = captorra_custom_columns() %}
with leads as (
    select * from {{ ref('base_captorra__leads') }}
)

{%- if custom_columns | length > 0 %},

kept as (
    select
        trim(lead_id) as lead_id,
        {%- for column in custom_columns %}
        cast("{{ column }}" as varchar) as "{{ column }}"{{ "," if not loop.last }}
        {%- endfor %}
    from leads
),

long as (
    unpivot kept
    on {% for column in custom_columns %}"{{ column }}"{{ ", " if not loop.last }}{% endfor %}
    into name field_name value value_text
)

select
    lead_id,
    field_name,
    trim(value_text) as value_text
from long
where nullif(trim(value_text), '') is not null
{%- else %}

select
    cast(null as varchar) as lead_id,
    cast(null as varchar) as field_name,
    cast(null as varchar) as value_text
where false
{%- endif %}
