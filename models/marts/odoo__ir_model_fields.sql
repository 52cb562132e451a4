-- Custom fields (ir.model.fields) the other marts write, created before any record: the fixed
-- migration fields on crm.lead and one per custom intake field of the registry (type through
-- the seed field_types). Selection options are odoo__ir_model_fields_selection.
with fixed as (
    select * from (
        values
            ('x_captorra_id', 'Captorra ID', 'char', null, true,
             'Lead id in Captorra; the source of the external id.'),
            ('x_matter_ref', 'Matter Reference', 'char', null, false,
             'Matter / case number Captorra gave the lead when it converted.'),
            ('x_original_created', 'Original Created', 'datetime', null, false,
             'When the record was created in the source system (Odoo''s own create date is the load date).'),
            ('x_original_modified', 'Original Last Modified', 'datetime', null, false,
             'When the record was last modified in the source system.'),
            ('x_referral_partner_id', 'Referral Source', 'many2one', 'res.partner', false,
             'Referring attorney, firm or channel (contact tagged Referral Source).')
    ) as t (name, field_description, ttype, relation, is_indexed, help)
),

intake as (
    select
        odoo_name as name,
        label as field_description,
        ttype,
        cast(null as varchar) as relation,
        false as is_indexed,
        'Captorra custom intake field ' || field_name || ' (' || source_type || ').' as help,
        field_name
    from {{ ref('int_captorra__custom_fields') }}
),

all_fields as (
    select *, 'migration' as source_model, name as source_id from fixed
    union all
    select
        name, field_description, ttype, relation, is_indexed, help,
        'registry' as source_model, field_name as source_id
    from intake
)

select
    {{ external_id("'field_crm_lead'", 'name') }} as id,
    'crm.model_crm_lead' as "model_id/id",
    name,
    field_description,
    ttype,
    relation,
    is_indexed as index,
    false as required,
    help,
    'captorra' as _source_system,
    source_model as _source_model,
    source_id as _source_id,
    {{ row_hash(['name', 'field_description', 'ttype', 'relation', 'is_indexed', 'help']) }} as _row_hash
from all_fields
