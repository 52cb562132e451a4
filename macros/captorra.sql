{# Raw lead columns that hold custom intake values, as extract recorded them in
   raw/captorra/columns: registry fields (kind custom), columns not in the column map (unknown:
   proposed custom fields) and columns the seed maps onto an existing field (mapped). Read at
   execution time; empty while parsing. #}
{% macro captorra_custom_columns() -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select distinct column_name
        from {{ source('captorra', 'columns') }}
        where dataset = 'leads' and kind in ('custom', 'unknown', 'mapped')
        order by column_name
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{# The custom crm.lead fields as the mart needs them: (odoo name, ttype) from a model. #}
{% macro captorra_custom_field_types(relation) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select odoo_name, ttype from {{ relation }} where is_in_export order by odoo_name
    {%- endset -%}
    {%- set result = run_query(query) -%}
    {{ return(zip(result.columns[0].values(), result.columns[1].values()) | list) }}
{%- endmacro %}

{# Raw columns of a Captorra dataset that some extract run filled from an export header
   (raw/captorra/columns kind = standard). Read at execution time; empty while parsing. #}
{% macro captorra_present_columns(dataset) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select distinct column_name
        from {{ source('captorra', 'columns') }}
        where dataset = '{{ dataset }}' and kind = 'standard'
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{# The canonical fields of a dataset as a select list: the raw column where an export had it,
   else NULL text (an optional field the export lacks, recorded by extract as kind = absent).
   No model names a raw column that may not exist. #}
{% macro captorra_fields_or_null(dataset, names) -%}
    {%- set present = captorra_present_columns(dataset) -%}
    {%- for name in names %}
        {% if name in present %}cast("{{ name }}" as varchar){% else %}cast(null as varchar){% endif %} as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
