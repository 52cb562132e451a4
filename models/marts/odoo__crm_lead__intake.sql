-- A second crm.lead pass (same external ids as odoo__crm_lead): the custom intake values, one
-- column per registry field the export carries (x_<field_name>, typed by field_types).
-- Its columns come from the firm's registry, so this mart's contract cannot be fixed in YAML;
-- the singular test custom_columns_are_defined ties every column to odoo__ir_model_fields.
-- depends_on: {{ ref('int_captorra__custom_fields') }}
{%- set fields = captorra_custom_field_types(ref('int_captorra__custom_fields')) %}
{%- set value_column = {
    'char': 'value_text', 'text': 'value_text', 'float': 'value_float',
    'integer': 'value_integer', 'date': 'value_date', 'datetime': 'value_datetime',
    'boolean': 'value_boolean', 'selection': 'value_selection'} %}
with leads as (
    select lead_id from {{ ref('int_captorra__leads') }}
    where review_reason is null
),

custom_values as (
    select * from {{ ref('int_captorra__custom_values') }}
    where is_valid
),

pivoted as (
    select
        leads.lead_id
        {%- for name, ttype in fields %},
        any_value(custom_values.{{ value_column[ttype] }}) filter (where custom_values.odoo_name = '{{ name }}')
            as "{{ name }}"
        {%- endfor %}
    from leads
    left join custom_values
        on leads.lead_id = custom_values.lead_id
    group by leads.lead_id
),

final as (
    select
        {{ external_id("'captorra_lead'", 'lead_id') }} as id,
        {%- for name, ttype in fields %}
        "{{ name }}",
        {%- endfor %}
        'captorra' as _source_system,
        'lead' as _source_model,
        lead_id as _source_id
    from pivoted
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
