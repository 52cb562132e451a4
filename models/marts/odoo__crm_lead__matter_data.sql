-- A second crm.lead pass (same external ids as the Actionstep rows of odoo__crm_lead): one
-- column per matter custom data field (mapping 9: x_<name>, typed by the seed field_types;
-- fields of multiple-record collections are text with one line per record). Its columns come
-- from the firm's data collections, so the contract is not fixed in YAML;
-- custom_columns_are_defined ties every x_ column to odoo__ir_model_fields.
-- depends_on: {{ ref('int_actionstep__custom_fields') }}
{%- set fields = actionstep_custom_field_types(ref('int_actionstep__custom_fields'), 'crm.lead') %}
{%- set value_column = {
    'char': 'value_text', 'text': 'value_text', 'float': 'value_float',
    'integer': 'value_integer', 'date': 'value_date', 'datetime': 'value_datetime',
    'boolean': 'value_boolean', 'selection': 'value_selection'} %}
with leads as (
    select action_id, lead_xmlid from {{ ref('int_actionstep__leads') }}
    where review_reason is null
),

custom_values as (
    select * from {{ ref('int_actionstep__custom_values') }}
    where model = 'crm.lead' and is_valid
),

pivoted as (
    select
        leads.action_id,
        leads.lead_xmlid
        {%- for name, ttype in fields %},
        any_value(custom_values.{{ value_column[ttype] }}) filter (where custom_values.odoo_name = '{{ name }}')
            as "{{ name }}"
        {%- endfor %}
    from leads
    left join custom_values
        on leads.lead_xmlid = custom_values.record_xmlid
    group by leads.action_id, leads.lead_xmlid
),

final as (
    select
        lead_xmlid as id,
        {%- for name, ttype in fields %}
        "{{ name }}",
        {%- endfor %}
        'actionstep' as _source_system,
        'matter' as _source_model,
        cast(action_id as varchar) as _source_id
    from pivoted
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
