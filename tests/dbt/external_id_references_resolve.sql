-- Every external-id reference in every mart (`*/id` columns, comma-separated lists included,
-- and _res_xmlid) names a row of a mart, an external id adopted in odoo__ir_model_data, or an
-- id Odoo itself defines (seed odoo_base_xmlids). Columns are found at run time, so a new
-- mart or column is checked without editing this test.
-- depends_on: {{ ref('odoo__ir_model_data') }}
-- depends_on: {{ ref('odoo__res_partner_category') }}
-- depends_on: {{ ref('odoo__crm_team') }}
-- depends_on: {{ ref('odoo__crm_stage') }}
-- depends_on: {{ ref('odoo__ir_model_fields') }}
-- depends_on: {{ ref('odoo__ir_model_fields_selection') }}
-- depends_on: {{ ref('odoo__res_partner') }}
-- depends_on: {{ ref('odoo__crm_lead') }}
-- depends_on: {{ ref('odoo__crm_lead__intake') }}
-- depends_on: {{ ref('odoo__ir_attachment') }}
-- depends_on: {{ ref('odoo__mail_message') }}
-- depends_on: {{ ref('odoo_base_xmlids') }}
-- depends_on: {{ ref('odoo__crm_tag') }}
-- depends_on: {{ ref('odoo__mail_activity') }}
-- depends_on: {{ ref('odoo__res_partner__actionstep') }}
-- depends_on: {{ ref('odoo__crm_lead__matter_data') }}
{%- set references, targets = [], [] %}
{%- if execute %}
    {%- set found = run_query(
        "select table_name, column_name from information_schema.columns "
        ~ "where table_schema = '" ~ target.schema ~ "' and table_name like 'odoo\\_\\_%' escape '\\' "
        ~ "and (column_name like '%/id' or column_name = '_res_xmlid' or column_name = 'id') "
        ~ "order by table_name, column_name") %}
    {%- for row in found.rows %}
        {%- if row[1] == 'id' %}{% do targets.append(row[0]) %}{% else %}{% do references.append(row) %}{% endif %}
    {%- endfor %}
{%- endif %}
with known as (
    select module || '.' || name as xmlid from {{ ref('odoo__ir_model_data') }}
    union all
    select xmlid from {{ ref('odoo_base_xmlids') }}
    {%- for table in targets %}
    union all
    select id from {{ target.schema }}.{{ table }}
    {%- endfor %}
),

referenced as (
    select null as mart, null as column_name, null as xmlid where false
    {%- for table, column in references %}
    union all
    select
        '{{ table }}',
        '{{ column }}',
        trim(unnest(string_split("{{ column }}", ',')))
    from {{ target.schema }}.{{ table }}
    where "{{ column }}" is not null
    {%- endfor %}
)

select referenced.*
from referenced
left join known
    on referenced.xmlid = known.xmlid
where known.xmlid is null
