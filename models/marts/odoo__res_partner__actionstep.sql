-- A second res.partner pass (same external ids as odoo__res_partner, or adopted through
-- odoo__ir_model_data) for every partner an Actionstep contact became: its contact tags from
-- the roles it plays (mapping 3), the trust balance per currency and trust transactions as
-- JSON (mapping 8), and one column per participant custom field (mapping 10, typed by
-- field_types). Its columns come from the firm's custom fields, so the contract is not fixed in
-- YAML; custom_columns_are_defined ties every x_ column to odoo__ir_model_fields.
-- depends_on: {{ ref('int_actionstep__custom_fields') }}
{%- set fields = actionstep_custom_field_types(ref('int_actionstep__custom_fields'), 'res.partner') %}
{%- set value_column = {
    'char': 'value_text', 'text': 'value_text', 'float': 'value_float',
    'integer': 'value_integer', 'date': 'value_date', 'datetime': 'value_datetime',
    'boolean': 'value_boolean', 'selection': 'value_selection'} %}
with partners as (
    select partner_xmlid, min(participant_id) as participant_id
    from {{ ref('int_actionstep__participants') }}
    group by partner_xmlid
),

tags as (
    select
        partner_xmlid,
        string_agg(category_xmlid, ',' order by category_xmlid) as category_xmlids
    from {{ ref('int_actionstep__partner_tags') }}
    group by partner_xmlid
),

trust as (
    select * from {{ ref('int_actionstep__partner_trust') }}
),

custom_values as (
    select * from {{ ref('int_actionstep__custom_values') }}
    where model = 'res.partner' and is_valid
),

pivoted as (
    select
        partners.partner_xmlid
        {%- for name, ttype in fields %},
        any_value(custom_values.{{ value_column[ttype] }}) filter (where custom_values.odoo_name = '{{ name }}')
            as "{{ name }}"
        {%- endfor %}
    from partners
    left join custom_values
        on partners.partner_xmlid = custom_values.record_xmlid
    group by partners.partner_xmlid
),

final as (
    select
        partners.partner_xmlid as id,
        tags.category_xmlids as "category_id/id",
        trust.trust_balance as x_trust_balance,
        trust.trust_transactions as x_trust_transactions,
        {%- for name, ttype in fields %}
        pivoted."{{ name }}",
        {%- endfor %}
        'actionstep' as _source_system,
        'participant' as _source_model,
        cast(partners.participant_id as varchar) as _source_id
    from partners
    left join tags
        on partners.partner_xmlid = tags.partner_xmlid
    left join trust
        on partners.partner_xmlid = trust.partner_xmlid
    left join pivoted
        on partners.partner_xmlid = pivoted.partner_xmlid
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
