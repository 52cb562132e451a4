{# Raw lead columns that hold custom intake fields (registry field_name), as extract
   recorded them in raw/captorra/columns. Read at execution time; empty while parsing. #}
{% macro captorra_custom_columns() -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select distinct column_name
        from {{ source('captorra', 'columns') }}
        where dataset = 'leads' and kind = 'custom'
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
